// Device paths and mock: ports, both through node-serialport's SerialPortStream: the platform's binding
// (@serialport/bindings-cpp, as `serialport`'s SerialPort picks it, made EOF-safe: eof-safe-binding.ts) for
// devices, @serialport/binding-mock for tests.
// The MockBinding is imported from its own package and passed explicitly: the copy inside `serialport` is a
// different object under ESM, so ports created on one would not exist on the other.

import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { DuplexPort } from './duplex-port.js';
import { eofSafeBinding } from './eof-safe-binding.js';
import { PortError, PortErrorCode, openError } from './errors.js';
import { PortCloseCode, type Port } from './port.js';
import type { LineSettings, PortSpec } from './spec.js';

type SerialSpec = Extract<PortSpec, { kind: 'device' | 'mock' }>;

function openOptions(path: string, line: LineSettings) {
  return {
    path,
    baudRate: line.baudRate,
    dataBits: line.framing.dataBits,
    parity: line.framing.parity,
    stopBits: line.framing.stopBits,
    rtscts: line.rtscts,
    lock: line.lock,
    autoOpen: false,
  } as const;
}

/** Waits for `stream.open()`, mapping its error to a PortError. */
function opened(spec: string, stream: SerialPortStream): Promise<void> {
  return new Promise((resolve, reject) => stream.open((err) => (err ? reject(openError(spec, err)) : resolve())));
}

function serialPort(spec: SerialSpec, stream: SerialPortStream): DuplexPort {
  const what = spec.kind === 'mock' ? 'mock port' : 'device';
  return new DuplexPort(spec.kind, spec.spec, stream, {
    end: (s) => (s as SerialPortStream).close(),
    closeReason: (error) => ({
      code: PortCloseCode.DISCONNECTED,
      message: `${what} ${spec.spec} disconnected${error ? `: ${error.message}` : ''}`,
      ...(error ? { error } : {}),
    }),
  });
}

/** The platform's binding (what `serialport`'s SerialPort uses), with end-of-file seen as a disconnect. */
const deviceBinding = eofSafeBinding(SerialPort.binding);

/** Opens a device path with node-serialport. */
export async function openDevicePort(spec: Extract<PortSpec, { kind: 'device' }>, line: LineSettings): Promise<Port> {
  const stream = new SerialPortStream({ binding: deviceBinding, ...openOptions(spec.path, line) });
  await opened(spec.spec, stream);
  return serialPort(spec, stream);
}

/** A port opened from a `mock:` spec also exposes the binding-mock port, for tests to feed and inspect. */
export type MockPort = Port & { readonly mock: MockPortBinding };

/**
 * Opens `mock:NAME` on @serialport/binding-mock. The mock port may have been created under `NAME` or under
 * the whole spec `mock:NAME` (`MockBinding.createPort('modem1')` or `createPort('mock:modem1')`); `NAME` wins.
 */
export async function openMockPort(spec: Extract<PortSpec, { kind: 'mock' }>, line: LineSettings): Promise<MockPort> {
  const known = new Set((await MockBinding.list()).map((p) => p.path));
  const path = [spec.name, `mock:${spec.name}`].find((p) => known.has(p));
  if (path === undefined) {
    throw new PortError(
      PortErrorCode.NOT_FOUND,
      spec.spec,
      `cannot open port ${spec.spec}: no mock port "${spec.name}"; create it first with MockBinding.createPort('${spec.name}')`,
    );
  }
  const stream = new SerialPortStream({ binding: MockBinding, ...openOptions(path, line) });
  await opened(spec.spec, stream);
  const port = serialPort(spec, stream);
  const mock = stream.port as MockPortBinding;
  return Object.assign(port, { mock });
}

/** The binding-mock port behind a `mock:` port (undefined for other kinds). */
export function mockBindingOf(port: Port): MockPortBinding | undefined {
  return 'mock' in port ? (port as MockPort).mock : undefined;
}
