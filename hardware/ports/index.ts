// hardware/ports: open any serial line by spec (device path, mock:NAME, tcp://host:port) behind one interface.
export { openPort, describeLine, type OpenPortOptions } from './open-port.js';
export { PortCloseCode, type Port, type PortCloseReason } from './port.js';
export { PortError, PortErrorCode, isPortError } from './errors.js';
export { parsePortSpec, parseFraming, formatFraming, DEFAULT_LINE, type PortSpec, type PortKind, type Framing, type LineSettings } from './spec.js';
export { mockBindingOf, type MockPort } from './serial-port.js';
export { listPorts, type ListedPort, type ListPortsOptions } from './list-ports.js';
export type { TcpOptions } from './tcp-port.js';
export { toTransport } from './transport.js';
