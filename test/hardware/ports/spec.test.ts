import { describe, expect, it } from 'vitest';
import { PortErrorCode, openPort, parsePortSpec, describeLine, isPortError } from '../../../hardware/ports/index.js';

describe('parsePortSpec', () => {
  it('reads device paths with line settings', () => {
    expect(parsePortSpec('/dev/ttyUSB0')).toEqual({ ok: true, value: { kind: 'device', spec: '/dev/ttyUSB0', path: '/dev/ttyUSB0', line: {} } });
    const r = parsePortSpec('/dev/ttyUSB0?baud=9600&framing=7E2&rtscts=1');
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'device',
        spec: '/dev/ttyUSB0?baud=9600&framing=7E2&rtscts=1',
        path: '/dev/ttyUSB0',
        line: { baudRate: 9600, framing: { dataBits: 7, parity: 'even', stopBits: 2 }, rtscts: true },
      },
    });
    expect(parsePortSpec('COM3').ok).toBe(true);
  });

  it('reads mock and tcp specs', () => {
    expect(parsePortSpec('mock:modem1')).toMatchObject({ ok: true, value: { kind: 'mock', name: 'modem1' } });
    expect(parsePortSpec('tcp://127.0.0.1:7101')).toMatchObject({ ok: true, value: { kind: 'tcp', host: '127.0.0.1', port: 7101 } });
    expect(parsePortSpec('tcp://[::1]:4001')).toMatchObject({ ok: true, value: { kind: 'tcp', host: '::1', port: 4001 } });
    expect(parsePortSpec('tcp://moxa-3.control.lan:4001/')).toMatchObject({ ok: true, value: { host: 'moxa-3.control.lan', port: 4001 } });
  });

  // Each bad spec must be rejected with a reason that names the bad part.
  const bad: ReadonlyArray<readonly [string, string]> = [
    ['', 'empty'],
    ['ttyUSB0', '"ttyUSB0" is not an absolute device path'],
    ['udp://1.2.3.4:5', 'unknown scheme "udp:"'],
    ['tcp://', 'missing host'],
    ['tcp://host', 'missing TCP port'],
    ['tcp://host:', 'missing TCP port'],
    ['tcp://host:0', 'TCP port "0"'],
    ['tcp://host:70000', 'TCP port "70000"'],
    ['tcp://host:12ab', 'TCP port "12ab"'],
    ['tcp://host:4001/extra', 'unexpected "/extra"'],
    ['/dev/ttyUSB0?baud=fast', 'baud "fast"'],
    ['/dev/ttyUSB0?baud=12345', 'baud "12345"'],
    ['/dev/ttyUSB0?framing=9X1', 'framing "9X1"'],
    ['/dev/ttyUSB0?baud_rate=9600', 'unknown parameter "baud_rate"'],
    ['/dev/ttyUSB0?rtscts=yes', 'rtscts "yes"'],
    ['mock:', 'missing mock port name'],
    [' /dev/ttyUSB0', 'white space'],
    // a NUL ends the path in the C binding: this opened /dev/tty (the user's own terminal) before
    ['/dev/tty\u0000USB0', 'control character'],
    ['/dev/ttyUSB0\u0007?baud=9600', 'control character'],
  ];
  it.each(bad)('rejects %j naming the bad part', (spec, part) => {
    const r = parsePortSpec(spec);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(part);
  });

  it('openPort rejects a bad spec with PORT_BAD_SPEC and the reason', async () => {
    const e = await openPort('tcp://127.0.0.1:99999').catch((x: unknown) => x);
    expect(isPortError(e, PortErrorCode.BAD_SPEC)).toBe(true);
    expect((e as Error).message).toContain('TCP port "99999"');
    expect((e as { retryable: boolean }).retryable).toBe(false);
  });

  it('spec line settings override option defaults', () => {
    expect(describeLine('/dev/ttyS0')).toBe('115200 8N1');
    expect(describeLine('/dev/ttyS0', { baudRate: 9600, framing: '7E1' })).toBe('9600 7E1');
    expect(describeLine('/dev/ttyS0?baud=57600', { baudRate: 9600 })).toBe('57600 8N1');
    expect(describeLine('tcp://h:1')).toBeUndefined();
  });
});
