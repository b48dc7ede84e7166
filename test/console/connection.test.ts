// The console's WebSocket client (console/connection.ts) against a fake browser WebSocket: it asks for the
// backlog in `batch` messages and applies every event of a batch in order, each checked on its own, so one
// it cannot read is reported and costs it none of the others.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection, type ConnectionHandlers } from '../../console/connection.js';

class FakeWebSocket {
  static opened: FakeWebSocket[] = [];
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: URL) {
    FakeWebSocket.opened.push(this);
  }
  send(): void {}
  close(): void {}
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const AT = '2026-11-23T06:00:00.000Z';
const answered = (seq: number) => ({ v: 1, seq, at: AT, type: 'call.answered', callId: `c${seq}`, lineId: 'line1', by: 'handler' });

function connect() {
  const applied: number[] = [];
  const invalid: string[] = [];
  const handlers: ConnectionHandlers = {
    lastSeq: () => applied.at(-1) ?? 0,
    onHello: () => {},
    onEvent: (e) => applied.push(e.seq),
    onStatus: () => {},
    onReset: () => {},
    onInvalid: (d) => invalid.push(d),
    sessionValid: async () => true,
  };
  const c = new Connection(handlers);
  c.start();
  const ws = FakeWebSocket.opened.at(-1) as FakeWebSocket;
  ws.onopen?.();
  ws.receive({ v: 1, type: 'hello', at: AT, user: { username: 'handler', role: 'call-handler' }, since: 0, headSeq: 9 });
  return { c, ws, applied, invalid };
}

describe('console Connection', () => {
  beforeEach(() => {
    FakeWebSocket.opened = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('location', { href: 'https://gateway.test/' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the backlog in batches, from the last seq applied', () => {
    const { c, ws } = connect();
    expect(ws.url.pathname).toBe('/ws');
    expect(Object.fromEntries(ws.url.searchParams)).toEqual({ since: '0', batch: '1' });
    expect(ws.url.protocol).toBe('wss:');
    c.stop();
  });

  it('applies every event of a batch in order, then single live events', () => {
    const { c, ws, applied, invalid } = connect();
    ws.receive({ v: 1, type: 'batch', at: AT, events: [answered(1), answered(2), answered(4)] });
    ws.receive({ v: 1, type: 'live', at: AT, headSeq: 4 });
    ws.receive(answered(5));
    expect(applied).toEqual([1, 2, 4, 5]);
    expect(invalid).toEqual([]);
    c.stop();
  });

  it('reports an unreadable event inside a batch and still applies the others', () => {
    const { c, ws, applied, invalid } = connect();
    ws.receive({ v: 1, type: 'batch', at: AT, events: [answered(1), { ...answered(2), type: 'call.nonsense' }, answered(3)] });
    expect(applied).toEqual([1, 3]);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toContain('seq 2');
    c.stop();
  });
});
