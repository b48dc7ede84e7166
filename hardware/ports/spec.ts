// Port specs: one string names any serial line the gateway, the simulator or the engineer's CLI opens.
//
//   /dev/ttyUSB0                              a device, node-serialport, defaults (115200 8N1)
//   /dev/ttyUSB0?baud=9600&framing=7E1        the same with line settings (also rtscts=1, lock=0)
//   COM3  /  COM3?baud=9600                   a Windows device
//   mock:modem1                               @serialport/binding-mock port "modem1" (tests)
//   tcp://10.1.2.3:4001                       a serial device server in raw-TCP mode, or the simulator
//   tcp://[::1]:7101  tcp://moxa-1.lan:4001
//
// Query parameters on a spec override the options passed to openPort (a config file's defaults for all
// lines), because the spec is the more specific of the two. Unknown parameters are errors, not ignored:
// a typo such as `baud_rate=9600` silently running at 115200 is the kind of fault nobody finds at 3 a.m.

/** Data bits, parity and stop bits, as written on the device: `8N1`, `7E1`, `8N2`. */
export type Framing = {
  readonly dataBits: 5 | 6 | 7 | 8;
  readonly parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
  readonly stopBits: 1 | 1.5 | 2;
};

/** Serial line settings (device and mock ports; TCP device servers are configured on the server). */
export type LineSettings = {
  readonly baudRate: number;
  readonly framing: Framing;
  /** Hardware flow control (RTS/CTS). */
  readonly rtscts: boolean;
  /** Take an exclusive lock on the device (node-serialport's `lock`), so a second program gets "busy". */
  readonly lock: boolean;
};

/** A parsed port spec. `spec` is the text as given, for messages and logs. */
export type PortSpec =
  | { readonly kind: 'device'; readonly spec: string; readonly path: string; readonly line: Partial<LineSettings> }
  | { readonly kind: 'mock'; readonly spec: string; readonly name: string; readonly line: Partial<LineSettings> }
  | { readonly kind: 'tcp'; readonly spec: string; readonly host: string; readonly port: number };

export type PortKind = PortSpec['kind'];

/** The result of {@link parsePortSpec}: the spec, or the reason naming the bad part. */
export type PortSpecResult = { readonly ok: true; readonly value: PortSpec } | { readonly ok: false; readonly reason: string };

export const DEFAULT_LINE: LineSettings = {
  baudRate: 115200,
  framing: { dataBits: 8, parity: 'none', stopBits: 1 },
  rtscts: false,
  lock: true,
};

const PARITY: Readonly<Record<string, Framing['parity']>> = { N: 'none', E: 'even', O: 'odd', M: 'mark', S: 'space' };
const BAUD_RATES = new Set([
  50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 14400, 19200, 28800, 38400, 57600, 115200,
  230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
]);

/** Parses `8N1`-style framing; undefined when malformed. */
export function parseFraming(text: string): Framing | undefined {
  const m = /^([5-8])([NEOMS])(1|1\.5|2)$/i.exec(text);
  if (m === null) return undefined;
  const parity = PARITY[(m[2] as string).toUpperCase()] as Framing['parity'];
  return { dataBits: Number(m[1]) as Framing['dataBits'], parity, stopBits: Number(m[3]) as Framing['stopBits'] };
}

/** Formats framing back as `8N1`. */
export function formatFraming(f: Framing): string {
  const p = Object.entries(PARITY).find(([, v]) => v === f.parity)?.[0] ?? '?';
  return `${f.dataBits}${p}${f.stopBits}`;
}

const fail = (spec: string, why: string): PortSpecResult => ({ ok: false, reason: `bad port spec "${spec}": ${why}` });

function parseFlag(v: string): boolean | undefined {
  if (v === '1' || v === 'true' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'off') return false;
  return undefined;
}

/** Parses the `?baud=..&framing=..` part of a device or mock spec. */
function parseLineQuery(query: string): { line: Partial<LineSettings> } | { reason: string } {
  const line: { -readonly [K in keyof LineSettings]?: LineSettings[K] } = {};
  if (query === '') return { line };
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    switch (key) {
      case 'baud': {
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!BAUD_RATES.has(n)) return { reason: `baud "${value}" is not a standard rate (e.g. 9600, 115200)` };
        line.baudRate = n;
        break;
      }
      case 'framing': {
        const f = parseFraming(value);
        if (f === undefined) return { reason: `framing "${value}" is not like 8N1 (data bits 5-8, parity N/E/O/M/S, stop bits 1/1.5/2)` };
        line.framing = f;
        break;
      }
      case 'rtscts':
      case 'lock': {
        const b = parseFlag(value);
        if (b === undefined) return { reason: `${key} "${value}" must be 1 or 0` };
        line[key] = b;
        break;
      }
      default:
        return { reason: `unknown parameter "${key}" (known: baud, framing, rtscts, lock)` };
    }
  }
  return { line };
}

/** Parses `tcp://host:port`, naming the bad part on failure. */
function parseTcp(spec: string): PortSpecResult {
  const rest = spec.slice('tcp://'.length);
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/?#[\]@\s]+)(?::([^/?#]*))?(.*)$/.exec(rest);
  if (m === null || rest === '') return fail(spec, 'missing host (expected tcp://host:port)');
  const [, rawHost = '', portText, tail = ''] = m;
  if (tail !== '' && tail !== '/') return fail(spec, `unexpected "${tail}" after host:port (expected tcp://host:port)`);
  if (portText === undefined || portText === '') return fail(spec, 'missing TCP port (expected tcp://host:port)');
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return fail(spec, `TCP port "${portText}" is not a number from 1 to 65535`);
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) return fail(spec, `host "${rawHost}" is not a valid host name or address`);
  return { ok: true, value: { kind: 'tcp', spec, host, port } };
}

/** Parses a port spec (see the table above). Never throws. */
export function parsePortSpec(spec: string): PortSpecResult {
  if (typeof spec !== 'string' || spec.trim() === '') return fail(String(spec), 'empty (expected /dev/..., mock:NAME or tcp://host:port)');
  if (spec !== spec.trim()) return fail(spec, 'leading or trailing white space');
  // The C binding ends a path at a NUL: `/dev/tty\0USB0` (e.g. from a JSON config) would open /dev/tty, the
  // user's own terminal. No control character belongs in any spec.
  if (/[\x00-\x1f\x7f]/.test(spec)) return { ok: false, reason: `bad port spec ${JSON.stringify(spec)}: contains a control character` };
  if (/^tcp:\/\//i.test(spec)) return parseTcp(spec);
  const q = spec.indexOf('?');
  const head = q < 0 ? spec : spec.slice(0, q);
  const query = parseLineQuery(q < 0 ? '' : spec.slice(q + 1));
  if ('reason' in query) return fail(spec, query.reason);
  if (head.startsWith('mock:')) {
    const name = head.slice('mock:'.length);
    if (name === '') return fail(spec, 'missing mock port name (expected mock:NAME)');
    return { ok: true, value: { kind: 'mock', spec, name, line: query.line } };
  }
  if (head.startsWith('/') || /^COM\d+$/i.test(head)) {
    if (head.endsWith('/')) return fail(spec, `device path "${head}" names a directory`);
    return { ok: true, value: { kind: 'device', spec, path: head, line: query.line } };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(head)?.[1];
  if (scheme !== undefined) return fail(spec, `unknown scheme "${scheme}:" (known: tcp://, mock:, or a device path)`);
  return fail(spec, `"${head}" is not an absolute device path (expected /dev/..., mock:NAME or tcp://host:port)`);
}
