// Why a port could not be opened, or why it failed later, as named codes with a message a person can act on.
// node-serialport's bindings give errors without an errno `code` (only a message such as
// "Error: No such file or directory, cannot open /dev/ttyUSB9"), so both codes and messages are recognised.

/** Why a port could not be opened or written. */
export const PortErrorCode = {
  /** The spec string is malformed; the message names the bad part. Not retryable: fix the configuration. */
  BAD_SPEC: 'PORT_BAD_SPEC',
  /** No such device (ENOENT), or no such mock port. Retryable: a USB adapter may be plugged back in. */
  NOT_FOUND: 'PORT_NOT_FOUND',
  /** The device is open in another program (EBUSY, or node-serialport's lock). Retryable. */
  BUSY: 'PORT_BUSY',
  /** The user running the gateway may not open the device (EACCES/EPERM). Not retryable: fix permissions. */
  PERMISSION: 'PORT_PERMISSION',
  /** Nothing listens on that TCP port (ECONNREFUSED). Retryable: the device server may be rebooting. */
  REFUSED: 'PORT_REFUSED',
  /** The host name does not resolve (ENOTFOUND/EAI_AGAIN). Retryable (DNS may come back), but check the name. */
  HOST_NOT_FOUND: 'PORT_HOST_NOT_FOUND',
  /** No route to the host, network down, or the TCP connect timed out. Retryable. */
  UNREACHABLE: 'PORT_UNREACHABLE',
  /** A write on a port that is closed (or closing). */
  NOT_OPEN: 'PORT_NOT_OPEN',
  /** Any other I/O error; the message carries the system's text. Retryable. */
  IO: 'PORT_IO',
} as const;
export type PortErrorCode = (typeof PortErrorCode)[keyof typeof PortErrorCode];

const RETRYABLE: ReadonlySet<PortErrorCode> = new Set<PortErrorCode>([
  PortErrorCode.NOT_FOUND,
  PortErrorCode.BUSY,
  PortErrorCode.REFUSED,
  PortErrorCode.HOST_NOT_FOUND,
  PortErrorCode.UNREACHABLE,
  PortErrorCode.IO,
]);

/** An error from hardware/ports: `code` is one of {@link PortErrorCode}, `spec` the port it concerns. */
export class PortError extends Error {
  override readonly name = 'PortError';
  /** Whether opening again later may succeed (the gateway's reopen-with-backoff loop uses this). */
  readonly retryable: boolean;

  constructor(
    readonly code: PortErrorCode,
    readonly spec: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = RETRYABLE.has(code);
  }
}

/** True when `e` is a {@link PortError} (optionally with the given code). */
export function isPortError(e: unknown, code?: PortErrorCode): e is PortError {
  return e instanceof PortError && (code === undefined || e.code === code);
}

/** Errno codes and node-serialport message fragments, mapped to our codes (first match wins). */
const SYSTEM_ERRORS: ReadonlyArray<readonly [PortErrorCode, readonly string[], RegExp]> = [
  [PortErrorCode.NOT_FOUND, ['ENOENT', 'ENODEV', 'ENXIO'], /no such file|no such device|does not exist/i],
  [PortErrorCode.BUSY, ['EBUSY', 'EAGAIN'], /resource busy|cannot lock|is locked|temporarily unavailable/i],
  [PortErrorCode.PERMISSION, ['EACCES', 'EPERM'], /permission denied|operation not permitted/i],
  [PortErrorCode.REFUSED, ['ECONNREFUSED'], /connection refused/i],
  [PortErrorCode.HOST_NOT_FOUND, ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'], /getaddrinfo/i],
  [PortErrorCode.UNREACHABLE, ['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTDOWN', 'ENETDOWN'], /unreachable/i],
];

/** Classifies a system or node-serialport error. */
export function classifySystemError(e: unknown): PortErrorCode {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const message = e instanceof Error ? e.message : String(e);
  for (const [ours, codes] of SYSTEM_ERRORS) if (codes.includes(code)) return ours;
  for (const [ours, , pattern] of SYSTEM_ERRORS) if (pattern.test(message)) return ours;
  return PortErrorCode.IO;
}

/** What a person should do about each code when opening `spec`. */
function advice(code: PortErrorCode, spec: string, detail = ''): string {
  switch (code) {
    case PortErrorCode.BAD_SPEC:
      return 'fix the port spec in the configuration';
    case PortErrorCode.NOT_FOUND:
      return spec.startsWith('mock:')
        ? 'create the mock port first (MockBinding.createPort)'
        : 'check that the device is plugged in and the path is right (`tecsos list` shows serial ports)';
    case PortErrorCode.BUSY:
      return 'another program has it open (a second gateway, minicom, ModemManager?); close it or use another port';
    case PortErrorCode.PERMISSION:
      return 'run the gateway as a user in the group that owns the device (often `dialout`)';
    case PortErrorCode.REFUSED:
      return 'check that the device server (or simulator) is running and the TCP port is in raw-TCP mode';
    case PortErrorCode.HOST_NOT_FOUND:
      return 'check the host name, or use an IP address';
    case PortErrorCode.UNREACHABLE:
      return 'check the network path to the device server';
    case PortErrorCode.NOT_OPEN:
      return 'open the port again';
    case PortErrorCode.IO:
      // The system's own error is in the message before this advice (openError: `cannot open port X: <error>; ...`).
      return /EMFILE|ENFILE|too many open files/i.test(detail)
        ? 'the process has no file descriptors left (raise `ulimit -n`, or find what holds them)'
        : 'the system error is given before this; check the device, its driver (dmesg) and the path';
    default: {
      const never: never = code;
      return never;
    }
  }
}

/** Wraps a system error from opening `spec` into a {@link PortError} with an actionable message. */
export function openError(spec: string, e: unknown): PortError {
  if (e instanceof PortError) return e;
  const code = classifySystemError(e);
  const detail = e instanceof Error ? e.message : String(e);
  return new PortError(code, spec, `cannot open port ${spec}: ${detail}; ${advice(code, spec, detail)}`, { cause: e });
}
