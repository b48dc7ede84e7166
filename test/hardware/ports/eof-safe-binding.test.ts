import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { BindingInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import { eofSafeBinding } from '../../../hardware/ports/eof-safe-binding.js';

/** A binding whose "device" is a regular file: reads return its bytes, then 0 (end of file) forever. */
function fileBinding(content: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-eof-'));
  const file = path.join(dir, 'tty');
  writeFileSync(file, content);
  const fd = openSync(file, 'r');
  onTestFinished(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  const port = {
    fd: fd as number | null,
    get isOpen() {
      return this.fd !== null;
    },
    poller: { once: () => undefined },
    read: () => Promise.reject(new Error('original read must not be used')),
  };
  const binding = { list: async () => [], open: async () => port } as unknown as BindingInterface;
  return { binding, port };
}

type Readable = { read(b: Buffer, o: number, l: number): Promise<{ bytesRead: number; buffer: Buffer }> };

describe('eofSafeBinding', () => {
  it('reads bytes, then reports end of file as a disconnect instead of retrying forever', async () => {
    const { binding } = fileBinding('\r\nOK\r\n');
    const port = (await eofSafeBinding(binding, 'linux').open({ path: '/dev/ttyUSB0', baudRate: 115200 })) as unknown as Readable;
    const buf = Buffer.alloc(64);
    const first = await port.read(buf, 0, 64);
    expect(buf.subarray(0, first.bytesRead).toString()).toBe('\r\nOK\r\n');
    await expect(port.read(buf, 0, 64)).rejects.toMatchObject({ disconnect: true, message: expect.stringMatching(/end of file/) });
  });

  it('a closed port is a cancelled read (SerialPortStream does not treat it as a disconnect)', async () => {
    const { binding, port: raw } = fileBinding('x');
    const port = (await eofSafeBinding(binding, 'linux').open({ path: '/dev/ttyUSB0', baudRate: 115200 })) as unknown as Readable;
    const fd = raw.fd;
    raw.fd = null;
    await expect(port.read(Buffer.alloc(8), 0, 8)).rejects.toMatchObject({ canceled: true });
    raw.fd = fd;
  });

  it('leaves Windows bindings alone', () => {
    const { binding } = fileBinding('');
    expect(eofSafeBinding(binding, 'win32')).toBe(binding);
  });
});
