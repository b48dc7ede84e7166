// Consoles that open with nothing and take the picture (`view` messages), for bench/picture-open.bench.ts, in a
// process of their own so that what they receive is not counted in the gateway's memory. Usage:
// `view-clients.ts <ws url> <count>`: opens `count` sockets at once, reads every message up to `live`, keeps of
// the picture only a hash of its joined `text` parts, and prints one JSON line: the time from the first
// connection to every console live, and per console its parts, characters, hash and message bytes.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { now } from './common.js';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
const t = now();
const consoles = await Promise.all(
  Array.from({ length: count }, () =>
    new Promise<{ parts: number; chars: number; hash: string; live: boolean; messageBytes: number }>((resolve, reject) => {
      const ws = new WebSocket(url as string);
      const hash = createHash('sha256');
      let parts = 0;
      let chars = 0;
      let messageBytes = 0;
      ws.on('error', reject);
      ws.on('message', (data: Buffer) => {
        messageBytes += data.length;
        const m = JSON.parse(data.toString()) as { type?: string; text?: string };
        if (m.type === 'view') {
          parts++;
          chars += (m.text as string).length;
          hash.update(m.text as string);
        } else if (m.type === 'live') {
          ws.close();
          resolve({ parts, chars, hash: hash.digest('hex'), live: true, messageBytes });
        }
      });
      ws.on('close', () => resolve({ parts, chars, hash: '', live: false, messageBytes }));
    }),
  ),
);
process.stdout.write(`${JSON.stringify({ ms: Math.round(now() - t), consoles })}\n`);
