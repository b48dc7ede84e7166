// A WebSocket test client that records every message and how the connection ended.
import WebSocket from 'ws';

export type Outcome =
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'closed'; code: number; reason: string };

export type Recorder = {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  opened: boolean;
  /** Resolves when the connection is refused or closed. */
  ended: Promise<Outcome>;
  /** Resolves once a message satisfies `pred`. */
  until(pred: (m: Record<string, unknown>) => boolean): Promise<void>;
  seqs(): number[];
};

export function connect(url: string, headers: Record<string, string>): Recorder {
  const ws = new WebSocket(url, { headers });
  const messages: Record<string, unknown>[] = [];
  const waiters: { pred: (m: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  const rec: Recorder = {
    ws,
    messages,
    opened: false,
    ended: new Promise<Outcome>((resolve) => {
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body }));
      });
      ws.on('close', (code, reason) => resolve({ kind: 'closed', code, reason: reason.toString() }));
      ws.on('error', () => undefined);
    }),
    until(pred) {
      if (messages.some(pred)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    seqs() {
      return messages.filter((m) => typeof m['seq'] === 'number').map((m) => m['seq'] as number);
    },
  };
  ws.on('open', () => (rec.opened = true));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>;
    messages.push(m);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w !== undefined && w.pred(m)) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  });
  return rec;
}
