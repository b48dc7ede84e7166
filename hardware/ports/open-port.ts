// openPort(spec): the one way code in this repository opens a serial line (see spec.ts for the forms).

import { PortError, PortErrorCode } from './errors.js';
import type { Port } from './port.js';
import { openDevicePort, openMockPort } from './serial-port.js';
import { DEFAULT_LINE, formatFraming, parseFraming, parsePortSpec, type Framing, type LineSettings } from './spec.js';
import { openTcpPort, type TcpOptions } from './tcp-port.js';

/**
 * Defaults for line settings (from the configuration; a spec's own `?baud=`/`?framing=` wins) and TCP
 * timings. Line settings are ignored for tcp:// ports, whose line is configured on the device server.
 */
export type OpenPortOptions = TcpOptions & {
  readonly baudRate?: number;
  /** `8N1`-style text or a {@link Framing}. */
  readonly framing?: string | Framing;
  readonly rtscts?: boolean;
  readonly lock?: boolean;
};

function lineSettings(spec: string, options: OpenPortOptions, fromSpec: Partial<LineSettings>): LineSettings {
  let framing = DEFAULT_LINE.framing;
  if (typeof options.framing === 'string') {
    const f = parseFraming(options.framing);
    if (f === undefined) {
      throw new PortError(PortErrorCode.BAD_SPEC, spec, `bad option for port ${spec}: framing "${options.framing}" is not like 8N1`);
    }
    framing = f;
  } else if (options.framing !== undefined) framing = options.framing;
  const baudRate = options.baudRate ?? DEFAULT_LINE.baudRate;
  if (!Number.isInteger(baudRate) || baudRate <= 0) {
    throw new PortError(PortErrorCode.BAD_SPEC, spec, `bad option for port ${spec}: baudRate ${baudRate} is not a positive integer`);
  }
  return {
    baudRate,
    framing,
    rtscts: options.rtscts ?? DEFAULT_LINE.rtscts,
    lock: options.lock ?? DEFAULT_LINE.lock,
    ...fromSpec,
  };
}

/**
 * Opens a port by spec: `/dev/ttyUSB0[?baud=..&framing=..]`, `mock:NAME` or `tcp://host:port`.
 * Rejects with a {@link PortError} whose `code` says why (`PORT_BAD_SPEC`, `PORT_NOT_FOUND`, `PORT_BUSY`,
 * `PORT_PERMISSION`, `PORT_REFUSED`, `PORT_HOST_NOT_FOUND`, `PORT_UNREACHABLE`, `PORT_IO`) and whose
 * `retryable` says whether opening again later may help.
 */
export async function openPort(spec: string, options: OpenPortOptions = {}): Promise<Port> {
  const parsed = parsePortSpec(spec);
  if (!parsed.ok) throw new PortError(PortErrorCode.BAD_SPEC, String(spec), parsed.reason);
  const s = parsed.value;
  switch (s.kind) {
    case 'device':
      return openDevicePort(s, lineSettings(spec, options, s.line));
    case 'mock':
      return openMockPort(s, lineSettings(spec, options, s.line));
    case 'tcp':
      return openTcpPort(s, options);
    default: {
      const never: never = s;
      throw new Error(`unhandled port kind ${JSON.stringify(never)}`);
    }
  }
}

/** The line settings a device or mock spec would open with, as `115200 8N1` (for logs and `tecsos list`). */
export function describeLine(spec: string, options: OpenPortOptions = {}): string | undefined {
  const parsed = parsePortSpec(spec);
  if (!parsed.ok || parsed.value.kind === 'tcp') return undefined;
  const line = lineSettings(spec, options, parsed.value.line);
  return `${line.baudRate} ${formatFraming(line.framing)}${line.rtscts ? ' rtscts' : ''}`;
}
