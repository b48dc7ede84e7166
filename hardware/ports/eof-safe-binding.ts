// A wrapper around node-serialport's Linux/macOS binding that reports end-of-file as a disconnect.
//
// bindings-cpp's unixRead (13.0.0) retries at once when read() returns 0 bytes. A tty whose other side hung up
// (USB adapter unplugged, a pty's master closed) returns 0 forever, so the port spins the CPU and the
// thread pool, grows memory, and never reports the disconnect (serialport/bindings-cpp issue #162; fix
// proposed in PR #164, not released). Here the port's `read` is replaced by the same loop with one change:
// 0 bytes is end-of-file, which SerialPortStream turns into a close with a DisconnectedError, so the gateway
// sees `PORT_DISCONNECTED` and reopens with backoff.
//
// A non-blocking tty read with nothing to read fails with EAGAIN (then the loop waits on the binding's
// poller, as unixRead does); it does not return 0, so no live port is closed by this.

import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import type { BindingInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };

const readAsync = promisify(fsRead);

/** The parts of bindings-cpp's LinuxPortBinding / DarwinPortBinding this relies on. */
type UnixPortBinding = {
  fd: number | null;
  readonly isOpen: boolean;
  poller: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
};

const canceled = () => Object.assign(new Error('Port is not open'), { canceled: true });

function errnoCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** Replaces `port.read` with an EOF-aware read loop (see above). */
function patchRead(port: UnixPortBinding): void {
  port.read = async (buffer, offset, length) => {
    for (;;) {
      const fd = port.fd;
      if (!port.isOpen || fd === null) throw canceled();
      try {
        const { bytesRead } = await readAsync(fd, buffer, offset, length, null);
        if (bytesRead === 0) throw Object.assign(new Error('end of file: the device hung up (unplugged?)'), { disconnect: true });
        return { bytesRead, buffer };
      } catch (e) {
        const code = errnoCode(e);
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw e;
        if (!port.isOpen) throw canceled();
        await new Promise<void>((resolve, reject) => port.poller.once('readable', (err) => (err ? reject(err) : resolve())));
      }
    }
  };
}

/** `binding` with EOF-aware reads on Unix; unchanged on Windows (which does not use unixRead). */
export function eofSafeBinding<T extends BindingInterface>(binding: T, platform: string = process.platform): T {
  if (platform === 'win32') return binding;
  return {
    ...binding,
    list: () => binding.list(),
    open: async (options: Parameters<T['open']>[0]) => {
      const port = await binding.open(options);
      if (typeof (port as unknown as Partial<UnixPortBinding>).poller === 'object') patchRead(port as unknown as UnixPortBinding);
      return port;
    },
  } as T;
}
