// The broadcast of stored events to WebSocket clients (the `/ws` protocol of protocol/schemas/control.ts:
// `hello`, the backlog after `since`, `live`, then live events; the client may send `ping`).
//
// Order and hand-over. The fan-out subscribes to the store, which calls it after each commit with the events
// in seq order; it broadcasts strictly by seq with no gap (`lastBroadcast`), reading a gap from the store if
// one ever appears. A new client with `since=N` first reads the backlog from the store in pages, sending each
// event after N; it joins the live broadcast at the moment (synchronously, no await in between) when a short
// page has brought it level with `lastBroadcast`. Every client keeps `position`, the last seq it has been
// given or skipped, and the live broadcast skips anything at or below it: an event appended while the backlog
// was read is sent once, by whichever path reaches it first, and in order.
//
// The picture. A client with `view=1` and `since=0` (a console with nothing yet) is first sent its role's
// picture of the control room at some seq P (console-views.ts: the ConsoleState every event up to P builds,
// in `view` messages), and its `position` becomes P: from there it reads the backlog and joins the live
// broadcast exactly as a client that resumed from P. The pictures are built in the background shortly after the
// start (PICTURE_BUILD_DELAY_MS: the consoles resuming after a restart come first) and kept level at each
// heartbeat, so that a console opening then does not wait for a build. The picture's text is made once for the
// consoles that open while it is in use and written to each of them as it is (picture-shares.ts): a shift change
// of 10 consoles held 10 copies of it (1,000 open incidents x 300 fixes: +0.7 GB).
//
// Slow consumers. A live client whose `ws.bufferedAmount` exceeds `maxBufferedBytes` gets an `error`
// (`slow-consumer`, `lastSeq`) and is closed with 4008; the others never wait for it. During the backlog a
// client is not dropped: the next page waits until its socket has drained (backpressure).
//
// Serialisation and writing. The store hands over a committed batch at a time; the fan-out broadcasts each
// run of consecutive seqs as one unit (role-frames.ts): every event is shaped once and checked against
// protocol/schemas once (an event read from the log; what the store's listener hands over, which this gateway
// staged itself, is not parsed again unless a role's view strips it), serialised once per distinct role view,
// and framed once per role into one buffer of back-to-back text frames (text-frames.ts), which is written to
// every client of that role with one socket write. Each message is still its own text frame, in seq order.
// The backlog is sent the same way, a page at a time.
//
// Batches. A client that asked (`batch=1`) gets events in `batch` messages (protocol/schemas/control.ts,
// batch-messages.ts): the backlog a page per batch, and a live run of which its role receives two or more
// events as one batch (several past MAX_BATCH_EVENTS), each element the event's own text for that role.
// A run of which it receives one event goes as that event's own message, as to every other client (an
// alarm's run has several events: it goes as one batch, in the one socket write it always had). A browser pays ~180 us per WebSocket message,
// more than for the event in it: a surge of reports (hundreds per commit, ~3 public events each) cost a
// console that many messages. The role's batch is built and framed once per run (role-frames.ts `tailFor`)
// and written to each of its batch clients with one socket write. Clients without `batch=1` are unaffected.
//
// The slow-consumer check runs before each client's write of a run: a client still holding more than
// `maxBufferedBytes` from earlier runs is closed; a run (or a batch) is never cut in the middle, so every
// event of its role at or below the `lastSeq` of its `error` (its `position`: the end of the last run it was
// given, possibly an event its role does not get) was sent whole. `stats.sent` counts events, batched or not.
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { GatewayEvent } from '../../protocol/schemas/events.js';
import type { z } from 'zod';
import { VIEW_PART_CHARS, WsClientMessage, type WsErrorCode } from '../../protocol/schemas/control.js';
import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import type { Role } from '../auth/roles.js';
import type { EventLog, StoredEvent } from '../store/event-store.js';
import { batchMessages } from './batch-messages.js';
import { CLOSE } from './close-codes.js';
import { ConsoleViews, pictureKey } from './console-views.js';
import { PictureShares, type PictureText } from './picture-shares.js';
import { pictureOf } from './picture-text.js';
import { RoleFrames, type Validate } from './role-frames.js';
import { writeFrames, writeMessage } from './text-frames.js';
import { atMs } from './wire.js';

export type { Validate } from './role-frames.js';

/** Tuning; defaults in {@link DEFAULT_FANOUT}. */
export type FanoutLimits = {
  /** Events per store read during the backlog. */
  readonly pageSize: number;
  /** A live client with more than this queued in its socket is closed (slow consumer). */
  readonly maxBufferedBytes: number;
  /** During the backlog, wait for the socket to drain below this before reading the next page. */
  readonly catchUpHighWater: number;
  /** Ping interval; a client that has not answered the previous ping is terminated. */
  readonly heartbeatMs: number;
  /** After a close frame, how long to wait for the client's before dropping the socket. */
  readonly closeGraceMs: number;
};

export const DEFAULT_FANOUT: FanoutLimits = {
  pageSize: 500,
  maxBufferedBytes: 1024 * 1024,
  catchUpHighWater: 256 * 1024,
  heartbeatMs: 30_000,
  closeGraceMs: 5_000,
};

/** Reasons a client was disconnected by the fan-out (metric label). */
export type DropReason = 'slow' | 'heartbeat' | 'session' | 'since_ahead' | 'bad_message' | 'error';

/** Figures for /metrics. */
export type FanoutStats = {
  clients: number;
  readonly clientsByRole: Record<Role, number>;
  broadcast: number;
  sent: number;
  lastBroadcastSeq: number;
  /** ms between the `at` of the last broadcast event and its broadcast. */
  lagMs: number;
  /** Events not sent because they fail their protocol/schemas type (retention tombstones are skipped silently). */
  invalid: number;
  /** Console pictures sent (`view=1`). */
  views: number;
  readonly drops: Record<DropReason, number>;
};

/** The part of the store the fan-out reads. */
export type FanoutLog = Pick<EventLog, 'readSince' | 'lastSeq' | 'subscribe'>;

export type FanoutOptions = {
  readonly log: FanoutLog;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly limits?: Partial<FanoutLimits>;
  /** Default: protocol/schemas GatewayEvent. */
  readonly validate?: Validate;
  /** The store's retention purges since open (StoreStats.purges): a console picture read before one is rebuilt. Default: none. */
  readonly purges?: () => number;
  /** How long after start() the background build of the pictures begins (default PICTURE_BUILD_DELAY_MS; 0: at once). */
  readonly pictureDelayMs?: number;
};

/**
 * The background build of the consoles' pictures begins this long after the start. The consoles that resume
 * after a restart (a SIGKILL) reconnect within about a second and need only their backlogs: a build from the
 * whole log running beside them slowed their resume from 0.23 s to 0.6 s (median, 100 MB restart bench, load
 * 11-18). A console that opens with nothing before then builds its picture on demand, as a later one joins it.
 */
export const PICTURE_BUILD_DELAY_MS = 5_000;

/** One attached client. */
export type ClientInfo = {
  readonly username: string;
  readonly role: Role;
  /** Called at each heartbeat; false closes the socket with 4001 (logout, expiry, disabled user). */
  readonly stillAuthorised?: () => boolean;
  /** Events in `batch` messages: the backlog a page each, a live run of 2+ events each (`batch=1`). */
  readonly batch?: boolean;
  /** With `since` 0: the console's picture first (`view` messages), then the events after it (`view=1`). */
  readonly view?: boolean;
};

type Client = ClientInfo & {
  readonly ws: WebSocket;
  state: 'catching-up' | 'live' | 'closed';
  position: number;
  alive: boolean;
  /** A pong is queued and not yet handed to the kernel (see onMessage). */
  pongQueued: boolean;
};

/** Whether `events` are consecutive seqs starting right after `after`. */
function followsOn(events: readonly StoredEvent[], after: number): boolean {
  for (let i = 0; i < events.length; i++) if ((events[i] as StoredEvent).seq !== after + i + 1) return false;
  return events.length > 0;
}

/** Reads the state afresh (after an await, the compiler's narrowing does not know another task closed it). */
function isClosed(c: Client): boolean {
  return c.state === 'closed';
}

const defaultValidate: Validate = (m) => GatewayEvent.safeParse(m).success;

/** The end of every `view` message, after its `text`. */
const CLOSE_BRACE = Buffer.from('}');

export class Fanout {
  private readonly clients = new Set<Client>();
  private readonly limits: FanoutLimits;
  private readonly pending = new Map<number, StoredEvent>();
  private readonly validate: Validate;
  private lastBroadcast = 0;
  private filling = false;
  /** Clients waiting for their next backlog page, in turn (backlogTurn). */
  private readonly turns: (() => void)[] = [];
  /** Background work waiting for a turn no client wants (idleTurn). */
  private readonly idleTurns: (() => void)[] = [];
  private turning = false;
  /** False until start() has read the head: publishes are only buffered until then. */
  private started = false;
  private heartbeat: TimerHandle | undefined;
  /** The start of the first background build of the pictures, while it waits (PICTURE_BUILD_DELAY_MS). */
  private pictureTimer: TimerHandle | undefined;
  /** Set by stop(): the background builds of the pictures end. */
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  private readonly views: ConsoleViews;
  private readonly shares: PictureShares;
  readonly stats: FanoutStats = {
    clients: 0, clientsByRole: { 'call-handler': 0, supervisor: 0, engineer: 0 },
    broadcast: 0, sent: 0, lastBroadcastSeq: 0, lagMs: 0, invalid: 0, views: 0,
    drops: { slow: 0, heartbeat: 0, session: 0, since_ahead: 0, bad_message: 0, error: 0 },
  };

  constructor(private readonly options: FanoutOptions) {
    this.limits = { ...DEFAULT_FANOUT, ...options.limits };
    this.validate = options.validate ?? defaultValidate;
    this.views = new ConsoleViews({
      log: options.log,
      ...(options.validate && { validate: options.validate }),
      purges: options.purges ?? (() => 0),
      turn: () => this.backlogTurn(),
      idleTurn: () => this.idleTurn(),
      pageSize: this.limits.pageSize,
      onBackgroundError: (err) => this.options.logger?.warn({ err }, 'console pictures: the background build failed; the next heartbeat tries again'),
    });
    this.shares = new PictureShares({ turn: () => this.backlogTurn(), partChars: VIEW_PART_CHARS, purges: options.purges ?? (() => 0) });
  }

  /** Subscribes to the store, reads its head and starts the heartbeat. Call before `attach`. */
  async start(): Promise<void> {
    // Subscribe first, then read the head: a commit in between is buffered in `pending`, not lost.
    this.unsubscribe = this.options.log.subscribe((events, texts) => this.publishAll(events, texts));
    const head = await this.options.log.lastSeq();
    this.lastBroadcast = Math.max(this.lastBroadcast, head);
    for (const seq of this.pending.keys()) if (seq <= this.lastBroadcast) this.pending.delete(seq);
    this.stats.lastBroadcastSeq = this.lastBroadcast;
    this.started = true;
    this.drain();
    // Every role's picture from the whole log, in the background, soon: the first console of a role after a start
    // waited for it (6.6 s at 600,000 public events), and a start is when the control room is busiest; the consoles
    // resuming after the restart come first (PICTURE_BUILD_DELAY_MS).
    const delay = this.options.pictureDelayMs ?? PICTURE_BUILD_DELAY_MS;
    if (delay <= 0) this.refreshViews();
    else
      this.pictureTimer = this.options.clock.setTimeout(() => {
        this.pictureTimer = undefined;
        this.refreshViews();
      }, delay);
    this.scheduleHeartbeat();
  }

  /**
   * Resolves when the background builds of the console pictures running now have ended (tests, benchmarks); the
   * first one starts now if it was still waiting for PICTURE_BUILD_DELAY_MS.
   */
  picturesBuilt(): Promise<void> {
    if (this.pictureTimer !== undefined) {
      this.options.clock.clearTimeout(this.pictureTimer);
      this.pictureTimer = undefined;
      this.refreshViews();
    }
    return this.views.settled();
  }

  /** Sends `error` (shutting-down) and closes every client with 1001; stops the heartbeat and the subscription. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.heartbeat !== undefined) this.options.clock.clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
    if (this.pictureTimer !== undefined) this.options.clock.clearTimeout(this.pictureTimer);
    this.pictureTimer = undefined;
    for (const c of this.clients) {
      this.fail(c, 'shutting-down', 'gateway stopping; reconnect and resume', CLOSE.goingAway, undefined);
    }
  }

  /** A durable event this gateway staged (any order; duplicates and already-broadcast seqs are ignored). */
  publish(event: StoredEvent): void {
    if (event.seq <= this.lastBroadcast) return;
    this.pending.set(event.seq, event);
    if (this.started) this.drain();
  }

  /**
   * A committed batch (the store's listener: events this gateway staged, sent without a second schema parse,
   * role-frames.ts): broadcast as one run when it follows on, as it normally does.
   */
  publishAll(events: readonly StoredEvent[], texts?: readonly (string | undefined)[]): void {
    if (this.started && this.pending.size === 0 && followsOn(events, this.lastBroadcast)) {
      this.broadcast(events, true, texts);
      return;
    }
    for (const e of events) if (e.seq > this.lastBroadcast) this.pending.set(e.seq, e);
    if (this.started) this.drain();
  }

  /** The seq of the last event broadcast live. */
  get head(): number {
    return this.lastBroadcast;
  }

  /** Attaches an upgraded socket: `hello`, every event after `since`, `live`, then the live stream. */
  attach(ws: WebSocket, info: ClientInfo, since: number): void {
    const client: Client = { ...info, ws, state: 'catching-up', position: since, alive: true, pongQueued: false };
    this.clients.add(client);
    this.countClients();
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('message', (data, isBinary) => this.onMessage(client, data, isBinary));
    ws.on('close', () => {
      client.state = 'closed';
      this.clients.delete(client);
      this.countClients();
    });
    ws.on('error', (err) => {
      // ws has already closed the socket (e.g. 1009 for a frame over maxPayload); just record it.
      this.options.logger?.warn({ err: err.message, user: client.username }, 'websocket error');
    });
    void this.catchUp(client).catch((err: unknown) => {
      this.options.logger?.error({ err, user: client.username }, 'websocket backlog read failed');
      this.stats.drops.error++;
      this.fail(client, 'internal', 'backlog read failed; reconnect and resume', CLOSE.goingAway, 'error');
    });
  }

  /** Re-checks every client's session now (after a logout) instead of at the next heartbeat. */
  recheckSessions(): void {
    for (const c of this.clients) {
      if (c.stillAuthorised !== undefined && !c.stillAuthorised()) {
        this.stats.drops.session++;
        this.fail(c, 'unauthorised', 'session ended; log in again', CLOSE.sessionEnded, 'session');
      }
    }
  }

  /** Closes the sockets of one user (logout, disabled account). */
  closeUser(username: string): void {
    for (const c of this.clients) {
      if (c.username === username) {
        this.stats.drops.session++;
        this.fail(c, 'unauthorised', 'session ended; log in again', CLOSE.sessionEnded, 'session');
      }
    }
  }

  private async catchUp(c: Client): Promise<void> {
    const { log } = this.options;
    const head = await log.lastSeq();
    if (c.state === 'closed') return;
    this.control(c, { v: 1, type: 'hello', at: this.now(), user: { username: c.username, role: c.role }, since: c.position, headSeq: head });
    if (c.position > Math.max(head, this.lastBroadcast)) {
      this.stats.drops.since_ahead++;
      this.fail(c, 'bad-since', `since ${c.position} is ahead of the log (last seq ${head}); resume from 0`, CLOSE.sinceAhead, 'since_ahead');
      return;
    }
    if (c.view === true && c.position === 0) {
      // The text of its role's picture that other consoles opening now are sent, when there is one it may take;
      // else the picture brought level and a new text (picture-shares.ts): one copy for a shift change, not one each.
      const key = pictureKey(c.role);
      const gone = () => isClosed(c);
      let shared = this.shares.take(key, this.lastBroadcast, gone);
      if (shared === undefined) {
        const picture = await this.views.levelWith(c.role, () => this.lastBroadcast, gone);
        if (picture === undefined || isClosed(c)) return;
        // Taken now, before any build reads its next page into the state (console-views.ts). A part at a time,
        // one per turn with the backlogs: a picture is megabytes (1,000 open incidents x 300 fixes: 63 MB), and
        // JSON.stringify of it at once held the event loop for 0.65-1 s per console (picture-text.ts).
        shared = this.shares.take(key, this.lastBroadcast, gone) ?? this.shares.make(key, pictureOf(picture.state, picture.lineRuns), picture.position, gone);
      }
      c.position = shared.seq;
      try {
        const text = await shared.text;
        if (text === undefined || isClosed(c)) return;
        await this.sendView(c, text);
      } finally {
        shared.release();
      }
      if (isClosed(c)) return;
    }
    for (;;) {
      await this.backlogTurn();
      if (isClosed(c)) return;
      const page = await log.readSince(c.position, this.limits.pageSize);
      if (isClosed(c)) return;
      let last: Promise<void> | undefined;
      const fresh = page.filter((e) => e.seq > c.position);
      if (fresh.length > 0 && c.batch === true) {
        const texts = this.framesOf(fresh).textsFor(c.role);
        c.position = (fresh[fresh.length - 1] as StoredEvent).seq;
        this.stats.sent += texts.length;
        for (const message of batchMessages(texts, this.now())) last = new Promise((resolve) => c.ws.send(message, () => resolve()));
      } else if (fresh.length > 0) {
        const { frames } = this.framesOf(fresh).framesFor(c.role, 0);
        c.position = (fresh[fresh.length - 1] as StoredEvent).seq;
        if (frames.countFrom(0) > 0) {
          last = new Promise((resolve) => {
            this.stats.sent += writeFrames(c.ws, frames, 0, resolve);
          });
        }
      }
      // Level with the live broadcast and nothing more in the store: join it now, before any other event.
      if (page.length < this.limits.pageSize && c.position >= this.lastBroadcast) {
        c.state = 'live';
        this.control(c, { v: 1, type: 'live', at: this.now(), headSeq: c.position });
        return;
      }
      if (last !== undefined && c.ws.bufferedAmount > this.limits.catchUpHighWater) await last;
      if (isClosed(c)) return;
    }
  }

  /**
   * Resolves when this client may read and send its next backlog page: one page per event-loop turn for all
   * clients together, in turn. The event loop runs between pages (modem lines, SMS, the core's timers): the
   * store's read resolves in a microtask and a console that reads fast never fills its socket, so without a
   * turn a whole backlog was sent at once (since=0 on 100,000 events held the gateway's event loop for 1.3 s,
   * an alarm's RING and SMS waiting behind it). A turn per client was not enough: ten consoles signing in
   * together on 60,000 events (a shift change) had their ten pages run back to back in each turn, and the
   * event loop's delay reached p99 280-490 ms, max 360-810 ms (load 5-7) for the 18-35 s they took; one
   * page per turn for all: p99 40-120 ms, max 160-590 ms.
   */
  private backlogTurn(): Promise<void> {
    return new Promise((resolve) => {
      this.turns.push(resolve);
      this.startTurning();
    });
  }

  /**
   * A turn given only when no client waits for one (backlogTurn): the background build of the console pictures
   * while no console waits for it (console-views.ts). It starts when the gateway does, and consoles resuming after
   * a restart had their `hello` and backlog slowed by it taking turns with them (a restart with 280,000 events,
   * load 11-18: 0.36-0.99 s from listening to resumed, 0.12-0.33 s without the build; with idle turns and smaller
   * pages 0.57-0.64 s: docs/benchmarks.md).
   */
  private idleTurn(): Promise<void> {
    return new Promise((resolve) => {
      this.idleTurns.push(resolve);
      this.startTurning();
    });
  }

  private startTurning(): void {
    if (this.turning) return;
    this.turning = true;
    setImmediate(() => this.nextTurn());
  }

  private nextTurn(): void {
    (this.turns.shift() ?? this.idleTurns.shift())?.();
    if (this.turns.length > 0 || this.idleTurns.length > 0) setImmediate(() => this.nextTurn());
    else this.turning = false;
  }

  private onMessage(c: Client, data: RawData, isBinary: boolean): void {
    let parsed: unknown;
    try {
      parsed = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    const msg = WsClientMessage.safeParse(parsed);
    if (!msg.success) {
      this.stats.drops.bad_message++;
      this.fail(c, 'bad-message', 'clients send only {"v":1,"type":"ping"}; actions go through the REST API', CLOSE.policy, 'bad_message');
      return;
    }
    c.alive = true;
    // At most one pong queued per client: a client that keeps sending pings and never reads would otherwise
    // pile its pongs up in the gateway's memory without bound (the slow-consumer check runs only when an
    // event is broadcast, and a quiet control room broadcasts nothing). The queued pong answers the pings
    // that arrive while it waits; a client that reads gets every pong.
    if (c.pongQueued) return;
    const pong = msg.data.nonce === undefined
      ? { v: 1, type: 'pong', at: this.now() }
      : { v: 1, type: 'pong', at: this.now(), nonce: msg.data.nonce };
    c.pongQueued = true;
    c.ws.send(JSON.stringify(pong), () => {
      c.pongQueued = false;
    });
  }

  /**
   * The picture's parts in `view` messages, one per backlog turn, with backpressure as for a backlog page: a client
   * that joined the live broadcast with its picture still queued was dropped as a slow consumer (4008) by the next
   * event, and cut off with the picture half sent when it read slower than the close grace.
   */
  private async sendView(c: Client, text: PictureText): Promise<void> {
    const { seq, bodies } = text;
    const at = JSON.stringify(this.now());
    for (let part = 0; part < bodies.length; part++) {
      if (part > 0) await this.backlogTurn();
      if (isClosed(c)) return;
      // JSON.stringify({ v: 1, type: 'view', at, seq, part, parts, text }), byte for byte, with the text's JSON
      // shared by every console sent this picture (picture-shares.ts).
      const head = Buffer.from(`{"v":1,"type":"view","at":${at},"seq":${seq},"part":${part},"parts":${bodies.length},"text":`, 'utf8');
      const written = new Promise<void>((resolve) => writeMessage(c.ws, [head, bodies[part] as Buffer, CLOSE_BRACE], resolve));
      if (c.ws.bufferedAmount > this.limits.catchUpHighWater) await written;
    }
    this.stats.views++;
  }

  private now(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  private control(c: Client, message: object): void {
    c.ws.send(JSON.stringify(message));
  }

  /** Sends `error` then closes with `code`; drops the socket if the client does not answer the close. */
  private fail(c: Client, code: z.infer<typeof WsErrorCode>, message: string, closeCode: number, why: DropReason | undefined): void {
    if (c.state === 'closed') return;
    c.state = 'closed';
    this.clients.delete(c);
    this.countClients();
    if (why !== undefined) this.options.logger?.warn({ user: c.username, code, closeCode, lastSeq: c.position }, 'websocket client dropped');
    try {
      this.control(c, { v: 1, type: 'error', at: this.now(), code, message, lastSeq: c.position });
      c.ws.close(closeCode, `${message.slice(0, 80)}; lastSeq ${c.position}`.slice(0, 123));
    } catch {
      c.ws.terminate();
      return;
    }
    const t = this.options.clock.setTimeout(() => c.ws.terminate(), this.limits.closeGraceMs);
    c.ws.once('close', () => this.options.clock.clearTimeout(t));
  }

  /** `trusted`: events the store's listener handed over (staged by this gateway), see role-frames.ts. */
  private framesOf(events: readonly StoredEvent[], trusted = false, texts?: readonly (string | undefined)[]): RoleFrames {
    return new RoleFrames(events, this.validate, (e, role) => {
      this.stats.invalid++;
      this.options.logger?.error({ seq: e.seq, type: e.event.type, role }, 'outgoing event fails its protocol/schemas type; not sent');
    }, trusted, texts);
  }

  /** Broadcasts the run of pending events that follows the last broadcast, if any. */
  private drain(): void {
    const run: StoredEvent[] = [];
    for (;;) {
      const next = this.pending.get(this.lastBroadcast + run.length + 1);
      if (next === undefined) break;
      this.pending.delete(next.seq);
      run.push(next);
    }
    if (run.length > 0) this.broadcast(run, true);
    if (this.pending.size > 0 && !this.filling) void this.fillGap();
  }

  /** An event went missing between commits (should not happen): read the gap from the store. */
  private async fillGap(): Promise<void> {
    this.filling = true;
    try {
      const page = await this.options.log.readSince(this.lastBroadcast, this.limits.pageSize);
      const run: StoredEvent[] = [];
      for (const e of page) if (e.seq === this.lastBroadcast + run.length + 1) run.push(e);
      if (run.length > 0) this.broadcast(run, false);
      for (const seq of this.pending.keys()) if (seq <= this.lastBroadcast) this.pending.delete(seq);
    } catch (err) {
      this.options.logger?.error({ err }, 'fan-out gap fill failed');
    } finally {
      this.filling = false;
    }
    if (this.pending.has(this.lastBroadcast + 1)) this.drain();
  }

  /**
   * Sends a run of consecutive events (the first follows `lastBroadcast`) to every live client. `trusted`: the
   * store's listener handed them over (this gateway staged them), not read from the log (role-frames.ts); `texts`:
   * the events' own JSON texts, when the store gave them (EventListener).
   */
  private broadcast(run: readonly StoredEvent[], trusted: boolean, texts?: readonly (string | undefined)[]): void {
    const first = (run[0] as StoredEvent).seq;
    const last = run[run.length - 1] as StoredEvent;
    this.lastBroadcast = last.seq;
    this.stats.lastBroadcastSeq = last.seq;
    this.stats.broadcast += run.length;
    const at = atMs(last.event.at);
    if (Number.isFinite(at)) this.stats.lagMs = Math.max(0, this.options.clock.now() - at);
    // Per role, the earliest event any of its clients still needs (clients ahead read part of it in their backlog).
    const need = new Map<Role, number>();
    for (const c of this.clients) {
      if (c.state !== 'live' || c.position >= last.seq) continue;
      const from = Math.max(0, c.position - first + 1);
      const had = need.get(c.role);
      if (had === undefined || from < had) need.set(c.role, from);
    }
    if (need.size === 0) return;
    const frames = this.framesOf(run, trusted, texts);
    for (const [role, from] of need) frames.prepare(role, from);
    const sentAt = this.now();
    for (const c of this.clients) {
      if (c.state !== 'live' || c.position >= last.seq) continue;
      const tail = frames.tailFor(c.role, Math.max(0, c.position - first + 1), c.batch === true, sentAt);
      if (tail.events > 0 && c.ws.bufferedAmount > this.limits.maxBufferedBytes) {
        this.stats.drops.slow++;
        this.fail(c, 'slow-consumer', `slow consumer; resume from seq ${c.position}`, CLOSE.slowConsumer, 'slow');
        continue;
      }
      writeFrames(c.ws, tail.frames, tail.i);
      this.stats.sent += tail.events;
      c.position = last.seq;
    }
  }

  private countClients(): void {
    this.stats.clients = this.clients.size;
    const by = this.stats.clientsByRole;
    by['call-handler'] = by.supervisor = by.engineer = 0;
    for (const c of this.clients) by[c.role]++;
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = this.options.clock.setTimeout(() => {
      this.beat();
      this.scheduleHeartbeat();
    }, this.limits.heartbeatMs);
  }

  /** Starts the background build of every console picture missing, behind the broadcast or made stale by a purge. */
  private refreshViews(): void {
    void this.views.refresh(() => this.lastBroadcast, () => this.stopped);
  }

  private beat(): void {
    // Pictures behind the broadcast are brought level, and those a retention purge made stale are built again,
    // now, not when the next console asks (console-views.ts).
    this.refreshViews();
    for (const c of this.clients) {
      if (c.stillAuthorised !== undefined && !c.stillAuthorised()) {
        this.stats.drops.session++;
        this.fail(c, 'unauthorised', 'session ended; log in again', CLOSE.sessionEnded, 'session');
      } else if (!c.alive) {
        this.stats.drops.heartbeat++;
        c.state = 'closed';
        this.clients.delete(c);
        this.countClients();
        c.ws.terminate();
      } else {
        c.alive = false;
        c.ws.ping();
      }
    }
  }
}

