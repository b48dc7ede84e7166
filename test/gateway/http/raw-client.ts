// A raw TCP client for the edge's HTTP parser tests (slow, half-closed and refused requests): bytes exactly as
// written, no HTTP library in between to fix them up.
import net from 'node:net';

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
