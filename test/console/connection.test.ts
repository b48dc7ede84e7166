// The console's WebSocket client (console/connection.ts) against a fake browser WebSocket: it asks for the
// backlog in `batch` messages and applies every event of a batch in order, each checked on its own, so one
// it cannot read is reported and costs it none of the others. With nothing applied yet it asks for the
// picture first (`view=1`), joins its parts, and falls back to every event when the picture is unreadable.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection, type ConnectionHandlers } from '../../console/connection.js';
import { ConsoleState } from '../../console/console-state.js';
import type { ConsoleView } from '../../protocol/schemas/index.js';

class FakeWebSocket {
  static opened: FakeWebSocket[] = [];
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: URL) {
    FakeWebSocket.opened.push(this);
  }
  closed: { code?: number; reason?: string }[] = [];
  send(): void {}
  close(code?: number, reason?: string): void {
    this.closed.push({ ...(code !== undefined && { code }), ...(reason !== undefined && { reason }) });
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const AT = '2026-11-23T06:00:00.000Z';
const answered = (seq: number) => ({ v: 1, seq, at: AT, type: 'call.answered', callId: `c${seq}`, lineId: 'line1', by: 'handler' });

function connect() {
  const applied: number[] = [];
  const invalid: string[] = [];
  const views: { view: ConsoleView; seq: number }[] = [];
  const handlers: ConnectionHandlers = {
    lastSeq: () => applied.at(-1) ?? 0,
    onHello: () => {},
    onEvent: (e) => applied.push(e.seq),
    onView: (view, seq) => {
      views.push({ view, seq });
      applied.push(seq);
    },
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
  return { c, ws, applied, invalid, views };
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
    expect(Object.fromEntries(ws.url.searchParams)).toEqual({ since: '0', batch: '1', view: '1' });
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

  it('joins the parts of the picture, hands it over once whole, then applies only the events after it', () => {
    const { c, ws, applied, invalid, views } = connect();
    const state = new ConsoleState();
    state.apply({ v: 1, seq: 3, at: AT, type: 'call.ringing', callId: 'c3', lineId: 'line1', callerNumber: '+447700900101', priority: 'tecsos', handsetId: 'TS-0001', incidentId: null, force: null });
    const text = JSON.stringify(state.view());
    const cut = Math.floor(text.length / 2);
    ws.receive({ v: 1, type: 'view', at: AT, seq: 7, part: 0, parts: 2, text: text.slice(0, cut) });
    expect(views).toEqual([]);
    ws.receive({ v: 1, type: 'view', at: AT, seq: 7, part: 1, parts: 2, text: text.slice(cut) });
    expect(views).toHaveLength(1);
    expect(views[0]?.seq).toBe(7);
    expect(views[0]?.view.calls.map((x) => x.id)).toEqual(['c3']);
    ws.receive({ v: 1, type: 'batch', at: AT, events: [answered(8), answered(9)] });
    expect(applied).toEqual([7, 8, 9]);
    expect(invalid).toEqual([]);
    // Resumed from the picture's seq, without asking for a picture again.
    ws.onclose?.({ code: 1006, reason: '' });
    c.stop();
  });

  it('reports an unreadable picture and starts again with every event', () => {
    vi.useFakeTimers();
    try {
      const { c, ws, views, invalid } = connect();
      ws.receive({ v: 1, type: 'view', at: AT, seq: 7, part: 0, parts: 1, text: '{"events":0,"calls":"not a list"}' });
      expect(views).toEqual([]);
      expect(invalid).toHaveLength(1);
      expect(invalid[0]).toContain('picture');
      ws.onclose?.({ code: 4000, reason: 'unreadable picture' });
      vi.advanceTimersByTime(300);
      const again = FakeWebSocket.opened.at(-1) as FakeWebSocket;
      expect(again).not.toBe(ws);
      expect(Object.fromEntries(again.url.searchParams)).toEqual({ since: '0', batch: '1' });
      c.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a picture that takes longer than the pong timeout to arrive is not given up while its parts keep coming', () => {
    // A picture of tens of MB (1,000 open incidents x 300 fixes: 63 MB) on a slow link: the gateway's pongs queue
    // behind it. The console closed the connection after 45 s without a pong and asked for the picture again, forever.
    vi.useFakeTimers();
    try {
      const { c, ws, views } = connect();
      const state = new ConsoleState();
      state.apply({ v: 1, seq: 3, at: AT, type: 'call.ringing', callId: 'c3', lineId: 'line1', callerNumber: '+447700900101', priority: 'tecsos', handsetId: 'TS-0001', incidentId: null, force: null });
      const text = JSON.stringify(state.view());
      const parts = 8;
      const size = Math.ceil(text.length / parts);
      for (let part = 0; part < parts; part++) {
        vi.advanceTimersByTime(10_000);
        ws.receive({ v: 1, type: 'view', at: AT, seq: 7, part, parts, text: text.slice(part * size, (part + 1) * size) });
      }
      expect(ws.closed).toEqual([]);
      expect(views.map((v) => v.seq)).toEqual([7]);
      c.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a gateway that stops answering (frozen, or the link half-open) is left at once, not shown live until the browser gives up', () => {
    // Review (24 Nov): the gateway SIGSTOPped under an open console: "Live · event 232" for 110 s. The console's
    // close() after 45 s without a pong starts a close handshake the frozen gateway never finishes, and the
    // browser fires onclose only when it gives up on it (as this fake never does).
    vi.useFakeTimers();
    try {
      const statuses: string[] = [];
      const handlers: ConnectionHandlers = {
        lastSeq: () => 5, onHello: () => {}, onEvent: () => {}, onView: () => {}, onReset: () => {}, onInvalid: () => {},
        onStatus: (s) => statuses.push(s.kind), sessionValid: async () => true,
      };
      const c = new Connection(handlers);
      c.start();
      const ws = FakeWebSocket.opened.at(-1) as FakeWebSocket;
      ws.onopen?.();
      ws.receive({ v: 1, type: 'hello', at: AT, user: { username: 'handler', role: 'call-handler' }, since: 5, headSeq: 5 });
      ws.receive({ v: 1, type: 'live', at: AT, headSeq: 5 });
      expect(statuses.at(-1)).toBe('live');
      // No pong, no close: within a minute the console says it is not live and opens a new connection.
      vi.advanceTimersByTime(61_000);
      expect(ws.closed.length).toBe(1);
      expect(statuses.at(-1)).not.toBe('live');
      vi.advanceTimersByTime(1_000);
      expect(FakeWebSocket.opened.length).toBe(2);
      expect((FakeWebSocket.opened[1] as FakeWebSocket).url.searchParams.get('since')).toBe('5');
      // The old socket's late onclose (the browser giving up on the handshake) changes nothing.
      ws.onclose?.({ code: 1006, reason: '' });
      expect(FakeWebSocket.opened.length).toBe(2);
      c.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a part out of order is not pieced together', () => {
    const { c, ws, views, invalid } = connect();
    ws.receive({ v: 1, type: 'view', at: AT, seq: 7, part: 1, parts: 2, text: '{}' });
    expect(views).toEqual([]);
    expect(invalid[0]).toContain('out of order');
    c.stop();
  });
});
