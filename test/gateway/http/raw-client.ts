// A raw TCP client for the edge's HTTP parser tests (slow, half-closed and refused requests): bytes exactly as
// written, no HTTP library in between to fix them up; and the big file such a client asks for and never reads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Sends `text` (then a FIN when `fin`); resolves with everything that came back once the gateway closes. */
export function rawUntilClosed(port: number, text: string, fin = false): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += String(d)));
    s.on('error', () => undefined);
    s.on('close', () => resolve(got));
    if (fin) s.end(text);
    else s.write(text);
  });
}

/**
 * A console directory (remove it after the test) with a file far bigger than the socket buffers of both ends
 * (tcp_wmem's maximum: 4 MiB here), so that an answer not read stays half-written.
 */
export function bigConsole(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-big-console-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(dir, 'big.js'), Buffer.alloc(32 * 1024 * 1024, 0x20));
  return dir;
}
