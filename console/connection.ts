// The WebSocket to the gateway (/ws?since=<seq>, docs/api.md): every message checked against
// protocol/schemas, resumed from the last seq applied after any drop, with a growing pause between attempts.
// Exactly-once display is the state's job (ConsoleState.apply refuses seqs it has seen); this module makes
// sure nothing is missed: it always resumes from the last seq the state applied.
// It asks for `batch` messages (`batch=1`: the backlog, and live commits of more than one event): a browser
// pays more to receive a WebSocket message than to apply an event, so a console opening on a long log, or
// during a surge of reports, waited mostly for message delivery. A batch is handled the same before and
// after `live`: each event checked and applied on its own, in order.
// A console that has nothing yet (last seq 0) asks for the picture first (`view=1`): the gateway sends the
// state this console would have built from every event up to some seq, in `view` messages, then the events
// after it. A picture that cannot be read is reported and the console starts again with every event.
import { ConsoleView, EventBatchEnvelope, GatewayEvent, ServerControl, type Hello, type ViewPart, type WsError } from '../protocol/schemas/index.js';

export type ConnectionStatus =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'catching-up'; readonly headSeq: number }
  | { readonly kind: 'live' }
  | { readonly kind: 'waiting'; readonly retryAt: number; readonly since: number; readonly reason: string }
  | { readonly kind: 'signed-out' };

export type ConnectionHandlers = {
  /** The resume point: the last seq applied. */
  lastSeq(): number;
  onHello(hello: Hello, clockOffsetMs: number): void;
  onEvent(event: GatewayEvent): void;
  /** The picture after `seq` (`view=1`), checked: it replaces the state. */
  onView(view: ConsoleView, seq: number): void;
  onStatus(status: ConnectionStatus): void;
  /** The log was replaced (close 4009): forget everything and resume from 0. */
  onReset(): void;
  /** A message that is not a protocol/schemas type: shown, never silently dropped. */
  onInvalid(detail: string): void;
  /** After a handshake that failed (no hello): is the session still valid? (an expiry or a disabled account ends it; a gateway restart keeps it) */
  sessionValid(): Promise<boolean>;
};

/** Pauses before reconnecting, ms (then the last one repeats). */
export const RECONNECT_DELAYS_MS = [250, 1000, 2000, 4000, 5000] as const;
/** Close codes (docs/api.md). */
const CLOSE_SESSION_ENDED = 4001;
const CLOSE_SINCE_AHEAD = 4009;
/** A ping from the console every 20 s: no pong (nor any other message) for 45 s, and the link is taken as dead (noticed at a ping, 45-65 s after the last one) even if TCP does not say so. */
const PING_EVERY_MS = 20_000;

export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private lastPong = 0;
  /** The texts of the `view` parts received so far on this connection. */
  private viewParts: string[] = [];
  /** A picture could not be read: from now on start with every event instead. */
  private noView = false;

  constructor(private readonly handlers: ConnectionHandlers) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.ws?.close(1000, 'console closed');
    this.ws = null;
  }

  private open(): void {
    const since = this.handlers.lastSeq();
    this.handlers.onStatus({ kind: 'connecting', attempt: this.attempt });
    const view = since === 0 && !this.noView ? '&view=1' : '';
    const url = new URL(`/ws?since=${since}&batch=1${view}`, location.href);
    this.viewParts = [];
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    this.ws = ws;
    let closeReason = 'connection lost';
    let greeted = false;
    ws.onmessage = (m) => {
      if (this.ws !== ws) return;
      greeted = true;
      this.message(typeof m.data === 'string' ? m.data : '', (r) => (closeReason = r));
    };
    ws.onopen = () => {
      this.lastPong = Date.now();
      clearInterval(this.pinger);
      this.pinger = setInterval(() => {
        if (Date.now() - this.lastPong > 2 * PING_EVERY_MS + 5000) this.abandon(ws);
        else ws.send(JSON.stringify({ v: 1, type: 'ping' }));
      }, PING_EVERY_MS);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      clearInterval(this.pinger);
      this.ws = null;
      if (this.stopped) return;
      if (ev.code === CLOSE_SESSION_ENDED) {
        this.stopped = true;
        this.handlers.onStatus({ kind: 'signed-out' });
        return;
      }
      if (ev.code === CLOSE_SINCE_AHEAD) this.handlers.onReset();
      if (!greeted) {
        // The upgrade was refused or the gateway is down: the browser does not say which, REST does.
        void this.handlers.sessionValid().then((valid) => {
          if (this.stopped || this.ws !== null) return;
          if (valid) this.retry(closeReason);
          else {
            this.stopped = true;
            this.handlers.onStatus({ kind: 'signed-out' });
          }
        });
        return;
      }
      this.retry(ev.reason || closeReason);
    };
  }

  /**
   * No pong: the gateway is frozen or the link half-open. Its close handshake cannot complete either, and the
   * browser fired `onclose` only when it gave up on it (110 s with the gateway stopped), all that time "Live" on
   * screen. The socket is dropped at once (its late `onclose` is ignored) and the console reconnects.
   */
  private abandon(ws: WebSocket): void {
    if (this.ws !== ws) return;
    clearInterval(this.pinger);
    this.ws = null;
    ws.close(4000, 'no pong');
    if (!this.stopped) this.retry('no answer from the gateway');
  }

  private retry(reason: string): void {
    {
      const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)] as number;
      this.attempt++;
      this.handlers.onStatus({ kind: 'waiting', retryAt: Date.now() + delay, since: this.handlers.lastSeq(), reason });
      this.timer = setTimeout(() => this.open(), delay);
    }
  }

  private message(text: string, setReason: (r: string) => void): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.handlers.onInvalid('a message that is not JSON');
      return;
    }
    const batch = EventBatchEnvelope.safeParse(json);
    if (batch.success) {
      for (const e of batch.data.events) this.event(e);
      return;
    }
    const control = ServerControl.safeParse(json);
    if (control.success) {
      const m = control.data;
      switch (m.type) {
        case 'hello':
          this.attempt = 0;
          this.handlers.onHello(m, Date.parse(m.at) - Date.now());
          this.handlers.onStatus({ kind: 'catching-up', headSeq: m.headSeq });
          return;
        case 'live':
          this.handlers.onStatus({ kind: 'live' });
          return;
        case 'pong':
          this.lastPong = Date.now();
          return;
        case 'error':
          setReason(describe(m));
          return;
        case 'view':
          this.viewPart(m);
          return;
        default: {
          const never: never = m;
          throw new Error(`unhandled control ${(never as { type: string }).type}`);
        }
      }
    }
    this.event(json);
  }

  /** One part of the picture; the whole, once the last part is in, checked and handed over. */
  private viewPart(m: ViewPart): void {
    if (m.part !== this.viewParts.length || m.part >= m.parts) return this.viewFailed(`picture part ${m.part} of ${m.parts} out of order`);
    this.viewParts.push(m.text);
    // Each part is news from the gateway, as an event is: a picture of tens of MB takes longer than the pong
    // timeout on a slow link (its pongs queue behind it), and the console closed it and asked again, forever.
    this.lastPong = Date.now();
    if (this.viewParts.length < m.parts) return;
    const text = this.viewParts.join('');
    this.viewParts = [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.viewFailed('a picture that is not JSON');
    }
    const view = ConsoleView.safeParse(json);
    if (!view.success) return this.viewFailed(`an unreadable picture: ${view.error.issues[0]?.path.join('.') ?? ''} ${view.error.issues[0]?.message ?? ''}`);
    this.handlers.onView(view.data, m.seq);
  }

  /** Reported; the connection starts again, with every event this time. */
  private viewFailed(detail: string): void {
    this.handlers.onInvalid(`${detail}; starting again with every event`);
    this.noView = true;
    this.viewParts = [];
    this.ws?.close(4000, 'unreadable picture');
  }

  /** One event (on its own or from a batch): applied, or reported as unreadable. */
  private event(json: unknown): void {
    const event = GatewayEvent.safeParse(json);
    if (event.success) {
      this.lastPong = Date.now();
      this.handlers.onEvent(event.data);
      return;
    }
    const seq = typeof json === 'object' && json !== null && 'seq' in json ? ` (seq ${String((json as { seq: unknown }).seq)})` : '';
    this.handlers.onInvalid(`an unreadable message${seq}: ${event.error.issues[0]?.path.join('.') ?? ''} ${event.error.issues[0]?.message ?? ''}`);
  }
}

function describe(e: WsError): string {
  return `${e.code}: ${e.message}`;
}
