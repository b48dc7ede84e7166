// A corrupting TCP proxy for a serial link (gateway line <-> serial device server): every byte, in both
// directions, is replaced by a different random byte with probability `corruption`, and chunks are cut at
// random points into pieces written on separate event-loop turns (so the reader sees random splits).
// Seeded: the same seed and traffic give the same damage. `corruption` can be changed while running.
import net from 'node:net';
import { SeededRandom } from '../../protocol/time/random.js';

export type NoisyLink = {
  readonly port: number;
  /** Probability that a byte is corrupted (0..1); may be changed at any time. */
  corruption: number;
  /** Probability that a chunk is cut into 2-4 pieces, written on separate event-loop turns (default 0.5). */
  splitting: number;
  /** Bytes passed and bytes corrupted, per direction. */
  readonly stats: { toModem: number; toGateway: number; corruptedToModem: number; corruptedToGateway: number };
  /**
   * Every chunk toward the modem that the noise changed, as sent and as passed on (latin1): the commands it
   * damaged (a few dozen per link in the soak). The modem executes a damaged command that still parses, so a
   * test can tell a delete the noise aimed at another slot from one the gateway sent.
   */
  readonly damagedToModem: { readonly sent: string; readonly passed: string }[];
  close(): Promise<void>;
};

export async function startNoisyLink(upstreamPort: number, options: { corruption: number; seed: number; splitting?: number }): Promise<NoisyLink> {
  const random = new SeededRandom(options.seed);
  const sockets = new Set<net.Socket>();
  const link: NoisyLink = {
    port: 0,
    corruption: options.corruption,
    splitting: options.splitting ?? 0.5,
    stats: { toModem: 0, toGateway: 0, corruptedToModem: 0, corruptedToGateway: 0 },
    damagedToModem: [],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  /**
   * Copies `chunk` with damage and writes it in order; at each random cut the rest waits for the next
   * event-loop turn (so the reader sees the split). Everything up to a cut is written at once, so the link's
   * throughput does not depend on how many chunks the sender made (the modem echoes byte by byte).
   */
  const pipe = (to: net.Socket, dir: 'toModem' | 'toGateway') => {
    const out: { piece: Buffer; cutBefore: boolean }[] = [];
    let pumping = false;
    const pump = () => {
      pumping = true;
      let first = true;
      while (out.length > 0) {
        const next = out[0]!;
        if (next.cutBefore && !first) {
          next.cutBefore = false;
          setImmediate(pump);
          return;
        }
        out.shift();
        first = false;
        if (!to.destroyed) to.write(next.piece);
      }
      pumping = false;
    };
    return (chunk: Buffer) => {
      const data = Buffer.from(chunk);
      let damaged = false;
      for (let i = 0; i < data.length; i++) {
        if (random.next() < link.corruption) {
          data[i] = (data[i]! + 1 + Math.floor(random.next() * 255)) & 0xff;
          link.stats[dir === 'toModem' ? 'corruptedToModem' : 'corruptedToGateway']++;
          damaged = true;
        }
      }
      if (damaged && dir === 'toModem') link.damagedToModem.push({ sent: Buffer.from(chunk).toString('latin1'), passed: data.toString('latin1') });
      link.stats[dir] += data.length;
      // Some chunks are cut at 1-3 random points (a serial device server forwards what it has).
      const cuts = new Set<number>();
      if (data.length > 1 && random.next() < link.splitting) {
        const n = 1 + Math.floor(random.next() * 3);
        for (let k = 0; k < n; k++) cuts.add(1 + Math.floor(random.next() * (data.length - 1)));
      }
      let from = 0;
      for (const c of [...cuts].sort((a, b) => a - b)) {
        out.push({ piece: data.subarray(from, c), cutBefore: from > 0 });
        from = c;
      }
      out.push({ piece: data.subarray(from), cutBefore: from > 0 });
      if (!pumping) pump();
    };
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    // No Nagle: a cut piece must not wait for the peer's delayed ACK (40 ms of wall time is seconds of
    // simulated time when a ManualClock is stepped per event-loop turn).
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', pipe(upstream, 'toModem'));
    upstream.on('data', pipe(client, 'toGateway'));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  (link as { port: number }).port = (server.address() as net.AddressInfo).port;
  return link;
}
