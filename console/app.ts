// The signed-in console: the state fed by the WebSocket, the views rendered from it, the actions sent
// through REST and confirmed by events, the alarm and the keyboard. One App per login; logout drops it and
// every victim detail it held.
import type { GatewayEvent, IncidentOutcome, IncidentView, Role, UserView } from '../protocol/schemas/index.js';
import { Alarm } from './alarm.js';
import { CommandAlerts } from './command-alerts.js';
import { api, ApiFailure, type ConsoleConfig } from './api.js';
import { Connection, type ConnectionStatus } from './connection.js';
import { ConsoleState, isTecsos } from './console-state.js';
import { byId, focusKeyed, h, replaceChildren, showModalKeepingFocus } from './dom.js';
import { ageSeconds, clock, outcomeText, sinceText, timeOfDay } from './format.js';
import { incidentPanel, newerIncidentOpen, unavailableReason, type IncidentPanelData } from './incident-view.js';
import { LineSince } from './line-since.js';
import { MapView } from './map-view.js';
import { PendingActions, settledOtherwise, type ActionKind } from './pending.js';
import { missedOf, PRIORITY_LABEL, queueOf, type MissedItem, type QueueItem } from './queue-order.js';
import { missedRow, queueRow } from './queue-view.js';
import { installShortcuts } from './shortcuts.js';
import { SPOKEN_KEEP_MS, statusStage } from './status-age.js';
import { supervisorPanel, type AuditData } from './supervisor-view.js';

const PAST_TENSE: Readonly<Record<ActionKind, string>> = {
  answer: 'Call answered',
  hangup: 'Call ended',
  acknowledge: 'Incident acknowledged',
  locate: 'Fresh fix requested from the handset',
  stop: 'Tracking stopped',
  close: 'Incident closed',
};

/** The button captions (incident-view.ts ACTIONS), for an action that something else settled. */
const ACTION_LABEL: Readonly<Record<ActionKind, string>> = {
  answer: 'Accept call',
  hangup: 'Hang up',
  acknowledge: 'Acknowledge',
  locate: 'Fresh fix',
  stop: 'Stop tracking',
  close: 'Close incident',
};

export class App {
  private readonly state = new ConsoleState();
  private readonly pending = new PendingActions();
  /** Which failed TSC1 results to alert (an owed STOP's retries once: command-alerts.ts). */
  private readonly commandAlerts = new CommandAlerts();
  private readonly connection: Connection;
  private readonly alarm: Alarm;
  private readonly map: MapView;
  private readonly role: Role;
  private selected: string | null = null;
  private victimStatus = new Map<string, 'loading' | 'refused' | 'none'>();
  private snapshots = new Map<string, IncidentView>();
  private audit: AuditData = null;
  /** Since when each modem line has been up, or not (the lines table's "Since"). */
  private readonly lineRuns = new LineSince();
  private clockOffsetMs = 0;
  private status: ConnectionStatus = { kind: 'connecting', attempt: 0 };
  private renderQueued = false;
  /** Something changed since the incident panel was last built. */
  private dirty = true;
  private pointerDown = false;
  /** Between run() and pause(): nothing is drawn outside it (a frame queued before a logout must not redraw). */
  private running = false;
  private deferred = false;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private uninstallKeys: () => void = () => undefined;
  private announced = new Set<string>();
  /** When the assertive region (#announcer) was last given its text (the browser's clock), while it has one. */
  private announcedAt: number | null = null;
  /** The same for the polite region of news about her selected call and incident (#incident-news). */
  private newsAt: number | null = null;
  /** TecSOS queue rows already drawn: a new one is scrolled into view (see draw). */
  private tecsosRows = new Set<string>();
  /** Missed TecSOS calls this handler has looked at (selected): the red reminder above the queue leaves them out. */
  private seenMissed = new Set<string>();
  /**
   * What the handler last chose (select: a click, a key, the reminder), not what the console selected by itself
   * (the first row, on an idle console): only that counts as looked at for the missed-call reminder.
   */
  private chosen: string | null = null;
  private live = false;
  /**
   * This console has been live once since its state was empty: what arrives after (a catch-up after a drop) is
   * news; before it, the first replay of the log is history, and its old failures raise no alert.
   */
  private caughtUp = false;
  /**
   * The message on the action status line: when it was said (the browser's clock), and what it is about when that
   * can be put right (`victim:<incident>`, `command:<handset>`): it goes when that is (resolve), and `kept` ones
   * stay until then (status-age.ts).
   */
  private said: { at: number; about: string | null; kept: boolean; stage: 'current' | 'old' } | null = null;
  /** The status line's message last drawn whole in the details (statusCut), or null. */
  private drawnInFull: string | null = null;
  /** Events applied by this console (each seq once); shown as `data-applied` on <body>. */
  private applied = 0;

  constructor(private readonly user: UserView, config: ConsoleConfig, private readonly onSignedOut: (why: string) => void) {
    this.role = user.role;
    this.map = new MapView(config.tiles, () => this.now(), config.tilesAttribution);
    this.alarm = new Alarm(
      () => this.role !== 'engineer' && this.state.alarmWaiting(),
      (n) => {
        document.body.dataset['beeps'] = String(n);
      },
      () => this.showSound(),
    );
    this.connection = new Connection({
      lastSeq: () => this.state.lastSeq,
      onHello: (_hello, offset) => {
        this.clockOffsetMs = offset;
        this.live = false;
      },
      onEvent: (e) => this.onEvent(e),
      onView: (view, seq) => {
        this.state.restore(view, seq);
        this.applied += view.events;
        this.lineRuns.restored(this.state, view.lineRuns);
        // As on a replay: the calls already in the picture are not announced as new.
        for (const c of this.state.calls.values()) if (isTecsos(c.priority)) this.announced.add(c.id);
        this.alarm.tick();
        this.render();
      },
      onStatus: (s) => {
        this.status = s;
        if (s.kind === 'live') this.live = this.caughtUp = true;
        if (s.kind === 'signed-out') this.onSignedOut('Your session ended: please log in again.');
        this.render();
      },
      onReset: () => {
        this.caughtUp = false;
        this.state.reset();
        this.pending.clear();
        this.lineRuns.clear();
      },
      onInvalid: (detail) => this.say(`Warning: the gateway sent ${detail}; it was not shown. Tell the system owner.`, true),
      sessionValid: () => api.me().then(() => true, (err: unknown) => !(err instanceof ApiFailure && err.status === 401)),
    });
  }

  private now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  get username(): string {
    return this.user.username;
  }

  /** First start: builds the panels for the role, then runs. */
  start(): void {
    byId('map-slot').append(this.map.element);
    this.run();
  }

  /**
   * The session ended without a logout (expiry, a disabled account): stop listening but keep what was received,
   * so that the same user, signing in again, resumes from the last seq instead of starting over. The panels
   * are hidden by the login screen meanwhile. Another user signing in gets a new App (main.ts).
   */
  pause(): void {
    this.running = false;
    document.removeEventListener('pointerdown', this.onPointerDown, true);
    document.removeEventListener('pointerup', this.onPointerUp, true);
    document.removeEventListener('pointercancel', this.onPointerUp, true);
    this.connection.stop();
    this.alarm.stop();
    this.showSound();
    clearInterval(this.ticker);
    this.uninstallKeys();
  }

  /** Runs again after pause() (the same user signed in again), resuming from the last seq applied. */
  run(): void {
    this.running = true;
    byId('user').textContent = `${this.user.displayName} (${this.user.role})`;
    document.body.dataset['role'] = this.role;
    byId('queue-panel').hidden = this.role === 'engineer';
    byId('incident-panel').hidden = this.role === 'engineer';
    byId('supervisor-panel').hidden = this.role === 'call-handler';
    document.addEventListener('pointerdown', this.onPointerDown, true);
    document.addEventListener('pointerup', this.onPointerUp, true);
    document.addEventListener('pointercancel', this.onPointerUp, true);
    this.connection.start();
    this.alarm.start();
    this.showSound();
    this.ticker = setInterval(() => this.render(false), 1000);
    // Engineers have no queue, incident or map: the call handler's keys do nothing for them, and their help
    // (`?`) listed only those (accept the call, hang up, ...). Neither for them.
    if (this.role !== 'engineer') {
      this.uninstallKeys = installShortcuts({
        act: (k) => this.act(k),
        follow: () => this.map.toggleFollow(),
        move: (d) => this.move(d),
      });
    }
    if (this.role === 'supervisor') void this.loadAudit();
    this.render();
    requestAnimationFrame(() => this.map.resize());
  }

  /** Stops everything and removes what this session showed (victim data must not stay on screen). */
  stop(): void {
    this.pause();
    this.state.reset();
    this.pending.clear();
    this.lineRuns.clear();
    this.said = null;
    this.announcedAt = this.newsAt = null;
    for (const id of ['queue', 'missed', 'missed-alert', 'incident-body', 'supervisor-body', 'map-slot', 'action-status', 'announcer', 'incident-news', 'confirm-text']) byId(id).replaceChildren();
    byId('missed-block').hidden = byId('missed-alert').hidden = true;
    // The last close note (free text about the victim) stays in the dialog's form until it is next opened.
    byId<HTMLFormElement>('close-form').reset();
    delete document.body.dataset['beeps'];
  }

  unlockAudio(): void {
    this.alarm.unlock();
  }

  /**
   * Sound off (no gesture yet since the page opened): a red button in the top bar says so until a click or a
   * key press turns it on; a TecSOS alert would otherwise be silent with nothing to show it. Engineers hear
   * no alerts. `data-audio` on <body> for tests and diagnostics.
   */
  private showSound(): void {
    const on = this.alarm.audible;
    document.body.dataset['audio'] = on ? 'on' : 'off';
    byId('sound-btn').hidden = !this.running || on || this.role === 'engineer';
  }

  private onEvent(e: GatewayEvent): void {
    if (!this.state.apply(e)) return;
    this.applied++;
    // Events come in seq order: a line's first event here is its first in the log (a view restored before
    // noted every line it had).
    if (e.type === 'line.health') this.lineRuns.note(e, true);
    const settled = this.pending.confirm(e);
    if (this.live && settled.length === 0) this.tellSelected(e);
    for (const p of settled) {
      const otherwise = settledOtherwise(p, e, this.user.username);
      if (otherwise === null) this.say(`${PAST_TENSE[p.kind]} (${this.whose(p.kind, p.id)}): confirmed by the gateway (event ${e.seq}).`);
      else this.say(`${ACTION_LABEL[p.kind]} (${this.whose(p.kind, p.id)}): not done by you: ${otherwise} (event ${e.seq}).`, e.type === 'call.ended' || e.type === 'incident.closed');
    }
    // Not for the replayed log: a fresh console opened on a red alert about last night's command to some handset.
    // An owed STOP's repeated failures are one alert, not one every 5 min (command-alerts.ts).
    if (e.type === 'command.result' && this.caughtUp && this.commandAlerts.isNews(e)) {
      this.say(`Command to handset ${e.handsetId} ${e.result}: ${e.detail}`, true, `command:${e.handsetId}`);
    } else if (e.type === 'command.result' && (!this.caughtUp || (e.result !== 'failed' && e.result !== 'timeout'))) {
      // A later command to the same handset got through: the failure is no longer news.
      this.resolve(`command:${e.handsetId}`);
    }
    // call.identified: a call that rang with no number (its modem could not say it then) is hers after all.
    if ((e.type === 'call.ringing' || e.type === 'call.identified') && isTecsos(e.priority) && !this.announced.has(e.callId)) {
      this.announced.add(e.callId);
      const from = e.handsetId ? ` from handset ${e.handsetId}` : '';
      // Identified after a handler answered it: not a new call (a screen reader user on it would look for a
      // second one), the call being talked to is hers.
      const answeredBy = e.type === 'call.identified' ? this.state.calls.get(e.callId)?.answeredBy : undefined;
      if (this.live) {
        this.announce(answeredBy != null
          ? `The call ${answeredBy} answered on ${e.lineId} is a ${PRIORITY_LABEL[e.priority]} call${from}`
          : `New ${PRIORITY_LABEL[e.priority]} call${from} on ${e.lineId}`);
      }
    }
    if (e.type === 'incident.opened' && isTecsos(e.priority) && this.live && e.callId === null) {
      this.announce(`New ${PRIORITY_LABEL[e.priority]} alarm from handset ${e.handsetId}${e.cause === 'tracking' ? ' (tracking reports; its alarm SMS was not received)' : ''}`);
    }
    if (e.type === 'incident.re-alarmed' && this.live) {
      this.announce(`New alarm from handset ${e.handsetId} on acknowledged incident ${e.incidentId}`);
    }
    this.alarm.tick();
    this.render();
  }

  /**
   * What someone else (a colleague, the caller, her handset) changed on the call or incident she has selected, said in
   * a polite region of its own (#incident-news): on screen it is the panel's state line, which a screen reader does
   * not read out, so a screen reader user on her call was not told that the caller hung up or that a supervisor
   * closed the incident. Her own actions are said in the status line (confirmed by the gateway).
   */
  private tellSelected(e: GatewayEvent): void {
    const { call, incident } = this.selectedContext();
    const mine = (by: string | null) => by === this.user.username;
    let text: string | null = null;
    switch (e.type) {
      case 'call.ended':
        if (e.callId !== call?.id && (call !== null || incident === null || this.state.calls.get(e.callId)?.incidentId !== incident.id)) return;
        if (e.endedBy === 'caller') text = `The caller hung up (${e.lineId}).`;
        else if (e.endedBy === 'network') text = `The call on ${e.lineId} was dropped by the network.`;
        else if (!mine(e.by)) text = `The call on ${e.lineId} was ended by ${e.by ?? 'a handler'}.`;
        break;
      case 'incident.acknowledged':
        if (e.incidentId === incident?.id && !mine(e.by)) text = `Incident ${e.incidentId} acknowledged by ${e.by}.`;
        break;
      case 'incident.closed':
        if (e.incidentId === incident?.id && !mine(e.by)) text = `Incident ${e.incidentId} closed by ${e.by}: ${outcomeText(e.outcome, e.transferredTo)}.`;
        break;
      case 'incident.tracking-stopped':
        if (e.incidentId !== incident?.id) return;
        if (e.reason === 'timeout') text = `Her handset's tracking time ran out (incident ${e.incidentId}).`;
        else if (e.reason === 'handset') text = `Her handset stopped tracking (incident ${e.incidentId}).`;
        else if (!mine(e.by)) text = `Tracking stopped by ${e.by ?? 'a handler'} (incident ${e.incidentId}).`;
        break;
      default:
        return;
    }
    if (text === null) return;
    const el = byId('incident-news');
    el.textContent = '';
    this.newsAt = Date.now();
    const said = text;
    requestAnimationFrame(() => (el.textContent = said));
  }

  /** The assertive live region: new TecSOS calls only (so it is never noise). */
  private announce(text: string): void {
    const el = byId('announcer');
    el.textContent = '';
    this.announcedAt = Date.now();
    requestAnimationFrame(() => (el.textContent = text));
  }

  /**
   * The announcements have been read out: they leave their regions SPOKEN_KEEP_MS after they were made (each draw, so
   * at least every second). They stayed: a screen reader user reading the page from the top, long after the call was
   * dealt with, heard "New TecSOS call ..." as if it were ringing now. A newer one starts the time again.
   */
  private ageAnnouncements(): void {
    const now = Date.now();
    if (this.announcedAt !== null && now - this.announcedAt >= SPOKEN_KEEP_MS) {
      this.announcedAt = null;
      byId('announcer').textContent = '';
    }
    if (this.newsAt !== null && now - this.newsAt >= SPOKEN_KEEP_MS) {
      this.newsAt = null;
      byId('incident-news').textContent = '';
    }
  }

  /**
   * The action status line (polite, or an alert for failures). `about`: what the message is about when that can
   * be put right (it goes when it is: resolve); `kept`: it stays until then, whatever its age.
   */
  private say(text: string, alert = false, about: string | null = null, kept = false): void {
    const el = byId('action-status');
    el.setAttribute('role', alert ? 'alert' : 'status');
    el.className = alert ? 'alert' : 'ok';
    el.textContent = text;
    el.dataset['at'] = timeOfDay(new Date().toISOString());
    this.said = { at: Date.now(), about, kept, stage: 'current' };
  }

  /**
   * The status line's message when the line (one or two lines at most: styles.css) does not show all of it, else
   * null: drawn whole at the end of the details then (incident-view.ts), where it moves nothing.
   */
  private statusCut(): string | null {
    const el = byId('action-status');
    const text = el.textContent ?? '';
    return text !== '' && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) ? text : null;
  }

  /** The problem `about` is gone: so is its message, if it is still the one shown. */
  private resolve(about: string): void {
    if (this.said?.about === about) this.clearStatus();
  }

  private clearStatus(): void {
    const el = byId('action-status');
    el.textContent = '';
    el.className = '';
    el.setAttribute('role', 'status');
    this.said = null;
  }

  /** Ages the status line (each draw, so at least every second): red only while it is news (status-age.ts). */
  private ageStatus(): void {
    const s = this.said;
    if (s === null) return;
    const stage = statusStage((Date.now() - s.at) / 1000, s.kept);
    if (stage === s.stage) return;
    if (stage === 'gone') return this.clearStatus();
    const el = byId('action-status');
    s.stage = stage;
    el.className = 'old';
    el.setAttribute('role', 'status');
    el.textContent = `${el.textContent ?? ''} (at ${el.dataset['at'] ?? '?'})`;
  }

  /**
   * Schedules a redraw. `changed` false (the 1 s tick): the incident panel is not rebuilt, only its clocks
   * are updated, so that text being selected (an address, a number) stays selected. No rebuild happens while
   * a mouse button is down: a button replaced between mousedown and mouseup would lose the click.
   */
  private render(changed = true): void {
    if (changed) this.dirty = true;
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      if (!this.running) return;
      if (this.pointerDown) {
        this.deferred = true;
        return;
      }
      this.draw();
    });
  }

  private readonly onPointerDown = (): void => {
    this.pointerDown = true;
  };

  private readonly onPointerUp = (): void => {
    this.pointerDown = false;
    if (this.deferred) {
      this.deferred = false;
      // After the click handlers of this press have run.
      setTimeout(() => this.render(false), 0);
    }
  };

  private selectedContext() {
    const key = this.selected;
    if (key === null) return { call: null, incident: null };
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const call = kind === 'call' ? (this.state.calls.get(id) ?? null) : null;
    const incidentId = kind === 'incident' ? id : (call?.incidentId ?? null);
    const incident = incidentId === null ? null : (this.state.incidents.get(incidentId) ?? null);
    return { call, incident };
  }

  private draw(): void {
    const now = this.now();
    drawStatus(this.status, this.state.lastSeq);
    this.ageStatus();
    // The status line's message cut, no longer cut, or another: the details, which draw it whole, are drawn again.
    if (this.statusCut() !== this.drawnInFull) this.dirty = true;
    this.ageAnnouncements();
    const alarm = this.role !== 'engineer' && this.state.alarmWaiting();
    document.body.dataset['alarm'] = alarm ? 'on' : 'off';
    document.body.dataset['lastSeq'] = String(this.state.lastSeq);
    document.body.dataset['applied'] = String(this.applied);
    if (this.role !== 'engineer') {
      const queue = queueOf(this.state);
      // An alarm that was selected before its call rang: follow it to the call's row (same incident).
      if (this.selected?.startsWith('incident:')) {
        const id = this.selected.slice('incident:'.length);
        const withCall = queue.find((q) => q.incidentId === id && q.callId !== null);
        if (withCall) this.selected = withCall.key;
      }
      // Her selected call ended and her incident has a live call in the queue (her handset dialled 999 again after
      // the call dropped, or her other call still rings): follow her to it, as an alarm is followed to its call.
      // The panel stayed on the ended call (Accept greyed) with no row marked, her new call ringing unmarked
      // among other victims' (make demo, 25 Nov: the gateway killed and started again).
      if (this.selected?.startsWith('call:') && !queue.some((q) => q.key === this.selected)) {
        const incidentId = this.selectedContext().call?.incidentId ?? null;
        const again = incidentId === null ? undefined : queue.find((q) => q.incidentId === incidentId && q.callId !== null);
        if (again) this.selected = again.key;
      }
      if (this.selected === null || (!queue.some((q) => q.key === this.selected) && !this.selectedStillShown())) {
        this.selected = queue[0]?.key ?? null;
      }
      const list = byId('queue');
      const marked = this.selectedRow(queue);
      replaceChildren(list, queue.length === 0 ? h('li', { class: 'empty' }, 'No calls waiting.') : queue.map((q) => queueRow(q, q.key === marked, now, (k) => this.select(k))));
      byId('queue-count').textContent = String(queue.length);
      // A handler scrolled down to the ordinary calls would see nothing of a TecSOS call ringing at the top (the
      // sound may be off): a new TecSOS row is brought into the queue panel's view. The selection stays.
      let fresh: string | null = null;
      for (const q of queue) {
        if (isTecsos(q.priority) && !this.tecsosRows.has(q.key)) {
          this.tecsosRows.add(q.key);
          fresh ??= q.key;
        }
      }
      if (this.tecsosRows.size > queue.length) {
        const keys = new Set(queue.map((q) => q.key));
        for (const k of this.tecsosRows) if (!keys.has(k)) this.tecsosRows.delete(k);
      }
      const missed = missedOf(this.state, now);
      byId('missed-block').hidden = missed.length === 0;
      replaceChildren(byId('missed'), missed.map((m) => missedRow(m, m.key === this.selected, now, (k) => this.select(k))));
      byId('missed-count').textContent = String(missed.length);
      this.drawMissedAlert(missed, now);
      if (fresh !== null) list.querySelector(`[data-key="${CSS.escape(fresh)}"]`)?.scrollIntoView({ block: 'nearest' });
      if (this.dirty) this.drawIncident(now);
      else this.tickIncident(now);
    }
    this.dirty = false;
    if (this.role !== 'call-handler') {
      replaceChildren(byId('supervisor-body'), supervisorPanel(this.state, now, this.role === 'supervisor', this.audit, this.lineRuns, (id) => this.select(`incident:${id}`), () => void this.loadAudit()));
    }
  }

  /**
   * The Missed list is below the queue: under a long queue, a TecSOS call that ended unanswered was off screen,
   * nothing red in sight. A red reminder sticks to the top of the queue panel (as a new ringing TecSOS row is
   * brought into view) until the handler looks at the call (selects it: this button, or its Missed row). A
   * call the handler had chosen when it ended counts as seen: the incident panel shows it. One the console
   * selected by itself (the first row of an idle console: nobody at the desk) does not.
   */
  private drawMissedAlert(missed: readonly MissedItem[], now: number): void {
    // A call of an incident that has been closed (with an outcome) was dealt with from the incident's alarm row,
    // which stood red in the queue until then: the Missed list keeps it, the reminder does not.
    const closedIncident = (m: MissedItem): boolean => {
      const incidentId = this.state.calls.get(m.callId)?.incidentId ?? null;
      return incidentId !== null && this.state.incidents.get(incidentId)?.state === 'closed';
    };
    const tecsos = missed.filter((m) => isTecsos(m.priority) && !closedIncident(m));
    if (this.chosen !== null && this.chosen === this.selected && tecsos.some((m) => m.key === this.chosen)) this.seenMissed.add(this.chosen);
    for (const k of this.seenMissed) if (!tecsos.some((m) => m.key === k)) this.seenMissed.delete(k);
    const unseen = tecsos.filter((m) => !this.seenMissed.has(m.key));
    const alert = byId<HTMLButtonElement>('missed-alert');
    const panel = byId('queue-panel');
    const newest = unseen[0];
    alert.hidden = newest === undefined;
    if (newest === undefined) {
      panel.style.scrollPaddingTop = '';
      return;
    }
    const who = [newest.callerNumber ?? 'number withheld', newest.handsetId].filter((x) => x !== null).join(' · ');
    const n = unseen.length;
    const text = `⚠ ${n} missed TecSOS call${n === 1 ? '' : 's'}: ${who}, ended ${clock(ageSeconds(newest.endedAt, now))} ago · Show`;
    if (alert.textContent !== text) alert.textContent = text;
    // Its name says when the call ended, not how long ago: the name of the focused reminder changed every second.
    alert.setAttribute('aria-label', `${n} missed TecSOS call${n === 1 ? '' : 's'}: ${who}, ended at ${timeOfDay(newest.endedAt, now)}. Show`);
    alert.onclick = () => {
      this.select(newest.key);
      // The reminder hides once she has chosen the call, and the focus on it fell to the page: it goes to the call's
      // Missed row (after the draw this select asked for). Below a long queue that row was off screen, her focus ring
      // out of sight: brought into view when the ring shows (the keyboard), not for a mouse click (no ring, no jump).
      requestAnimationFrame(() => {
        if (!focusKeyed(byId('missed'), `missed:${newest.key}`)) return;
        const at = document.activeElement;
        if (at instanceof HTMLElement && at.matches(':focus-visible')) at.scrollIntoView({ block: 'nearest' });
      });
    };
    // A TecSOS row scrolled into view (draw) must not land under the reminder.
    panel.style.scrollPaddingTop = `${alert.offsetHeight + 8}px`;
  }

  /**
   * The queue row that stands for the selection: its own, else, when her selected call ended and her incident is
   * still in the queue, the incident's alarm row (the call stays on screen: selectedStillShown). Without it the
   * panel showed her call and incident and no row was marked selected (make demo, 25 Nov: accept, hang up).
   */
  private selectedRow(queue: readonly QueueItem[]): string | null {
    if (this.selected === null || queue.some((q) => q.key === this.selected)) return this.selected;
    const incidentId = this.selectedContext().call?.incidentId ?? null;
    if (incidentId === null) return null;
    return queue.find((q) => q.incidentId === incidentId && q.callId === null)?.key ?? null;
  }

  /** A selected incident or call that left the queue (ended, closed) stays on screen until another is chosen. */
  private selectedStillShown(): boolean {
    const { call, incident } = this.selectedContext();
    return call !== null || incident !== null;
  }

  /** The clocks of the incident panel (data-since) and the map's fix line, without rebuilding anything. */
  private tickIncident(now: number): void {
    for (const el of byId('incident-body').querySelectorAll<HTMLElement>('[data-since]')) {
      el.textContent = sinceText(el.dataset['since'] as string, now);
    }
    this.map.updateInfo(now);
  }

  private drawIncident(now: number): void {
    const { call, incident } = this.selectedContext();
    const body = byId('incident-body');
    if (call === null && incident === null) {
      replaceChildren(body, h('p', { class: 'empty' }, 'Select a call in the queue.'));
      this.map.show(null, [], now);
      return;
    }
    if (incident !== null) this.ensureVictim(incident.id);
    const handsetId = incident?.handsetId ?? call?.handsetId ?? null;
    const status = incident === null ? undefined : this.victimStatus.get(incident.id);
    const victim: IncidentPanelData['victim'] = incident === null || status === 'none' ? null
      : (this.state.victims.get(incident.id) ?? status ?? 'loading');
    // The details scroll on their own and are drawn anew: a handler scrolled down to the perpetrator notes was sent
    // back to the top at every fix. Kept while they show the same incident and call.
    const was = body.querySelector<HTMLElement>(':scope > .incident-details');
    const scrolled = was === null ? null : { shows: was.dataset['shows'], top: was.scrollTop };
    replaceChildren(body, incidentPanel({
      call, incident, victim,
      snapshot: incident === null ? null : (this.snapshots.get(incident.id) ?? null),
      handset: handsetId === null ? null : (this.state.handsets.get(handsetId) ?? null),
      locate: handsetId === null ? undefined : this.state.lastCommand(handsetId, 'LOCATE', incident?.id ?? null),
      stop: handsetId === null ? undefined : this.state.lastCommand(handsetId, 'STOP', incident?.id ?? null),
      newerOpen: newerIncidentOpen(this.state.incidents.values(), incident),
      pending: this.pending,
      nowMs: now,
      statusInFull: (this.drawnInFull = this.statusCut()),
      act: (k) => this.act(k),
    }));
    const details = body.querySelector<HTMLElement>(':scope > .incident-details');
    if (details !== null && scrolled !== null && scrolled.top > 0 && details.dataset['shows'] === scrolled.shows) details.scrollTop = scrolled.top;
    body.dataset['incident'] = incident?.id ?? '';
    body.dataset['call'] = call?.id ?? '';
    // A live track: an open incident still tracking (a call's own AML track: while there is one).
    const live = incident === null || (incident.state !== 'closed' && incident.tracking);
    this.map.show(incident?.id ?? `call:${call?.id}`, this.state.trackOf(incident?.id ?? null, call?.id ?? null), now, live);
  }

  /** Reads the victim's record once per incident (an audited read). */
  private ensureVictim(incidentId: string): void {
    if (this.state.victims.has(incidentId) || this.victimStatus.has(incidentId)) return;
    this.victimStatus.set(incidentId, 'loading');
    api.incident(incidentId).then(
      ({ incident }) => {
        this.victimStatus.delete(incidentId);
        this.snapshots.set(incidentId, incident);
        if (incident.victim !== null) this.state.victims.set(incidentId, incident.victim);
        else this.victimStatus.set(incidentId, 'none');
        this.resolve(`victim:${incidentId}`);
        this.render();
      },
      (err: unknown) => {
        this.victimStatus.set(incidentId, 'refused');
        // Kept while the record stays unread: the panel's record block points to this message.
        this.say(`Victim record for ${incidentId}: ${(err as Error).message}`, true, `victim:${incidentId}`, true);
        this.render();
      },
    );
  }

  private select(key: string): void {
    this.selected = key;
    this.chosen = key;
    // Choosing it again retries a victim record that could not be read (a 503 while the audit log was down).
    const incidentId = this.selectedContext().incident?.id;
    if (incidentId !== undefined && this.victimStatus.get(incidentId) === 'refused') this.victimStatus.delete(incidentId);
    this.alarm.unlock();
    this.render();
  }

  /**
   * ↑/↓: the row above or below. From the selected row (or her incident's alarm row: selectedRow); when that left
   * the queue (its call ended), from the focused row (replaceChildren put the focus on its neighbour), else from the top. The row is found by its
   * `data-key` (its button's focus key is her incident's: queue-view.ts), and focused without scrolling the
   * panel further than it needs.
   */
  private move(delta: number): void {
    const queue = queueOf(this.state);
    if (queue.length === 0) return;
    const from = this.selectedRow(queue);
    let i = queue.findIndex((q) => q.key === from);
    if (i < 0) {
      const here = document.activeElement?.closest<HTMLElement>('#queue > li')?.dataset['key'];
      if (here !== undefined) i = queue.findIndex((q) => q.key === here);
    }
    const next = queue[Math.max(0, Math.min(queue.length - 1, (i < 0 ? 0 : i) + delta))];
    if (next) {
      this.select(next.key);
      requestAnimationFrame(() => {
        const button = document.querySelector<HTMLElement>(`#queue > li[data-key="${CSS.escape(next.key)}"] button`);
        button?.focus({ preventScroll: true });
        button?.scrollIntoView({ block: 'nearest' });
      });
    }
  }

  /**
   * Whose call or incident an action was about, for the status line: her handset (else the caller's number). The
   * line stays while she moves on to another call, above the other victim's record: with three alarms at once,
   * "Call answered: confirmed by the gateway" stood over TS-0003's ringing call after she had answered TS-0001's
   * (make demo, 25 Nov).
   */
  private whose(kind: ActionKind, id: string): string {
    if (kind === 'answer' || kind === 'hangup') {
      const call = this.state.calls.get(id);
      return call?.handsetId ?? call?.callerNumber ?? 'number withheld';
    }
    return this.state.incidents.get(id)?.handsetId ?? id;
  }

  /** Sends an action for the selected call/incident; "pending" until the confirming event arrives. */
  act(kind: ActionKind): void {
    this.alarm.unlock();
    const { call, incident } = this.selectedContext();
    const id = kind === 'answer' || kind === 'hangup' ? call?.id : incident?.id;
    if (id !== undefined && this.pending.get(kind, id)) return;
    const button = document.getElementById(`act-${kind}`) as HTMLButtonElement | null;
    if (id === undefined || button === null || button.disabled) {
      // Only a key gets here (a disabled button takes no click): say why, and where the ringing call is.
      const ringing = kind === 'answer' && queueOf(this.state).some((q) => q.state === 'ringing' && q.callId !== call?.id);
      this.say(`${ACTION_LABEL[kind]}: ${unavailableReason(kind, call, incident)}.${ringing ? ' A call is ringing: select it in the queue (↑/↓ or click), then press A.' : ''}`, true);
      return;
    }
    // The question first (hang up, stop tracking, the close form), then the request: "pending" only once it is sent.
    // Set before the dialog, the button read "Close incident: pending…" behind the form before she had chosen
    // anything (a modal dialog takes the clicks and keys meanwhile: no second press gets here).
    const ask = async (): Promise<(() => Promise<{ seq: number }>) | null> => {
      switch (kind) {
        case 'answer': return () => api.answer(id);
        case 'hangup': return (await confirmDialog(`Hang up the call from ${call?.callerNumber ?? 'a withheld number'}?`)) ? () => api.hangup(id) : null;
        case 'acknowledge': return () => api.acknowledge(id);
        case 'locate': return () => api.locate(id);
        case 'stop': return (await confirmDialog(`Stop tracking handset ${incident?.handsetId ?? ''}? It will stop sending positions.`)) ? () => api.stopTracking(id) : null;
        case 'close': {
          const c = await closeDialog(incident?.tracking === true);
          return c === null ? null : () => api.close(id, c.outcome, c.note, c.transferredTo);
        }
        default: {
          const never: never = kind;
          throw new Error(`unknown action ${String(never)}`);
        }
      }
    };
    void (async () => {
      const send = await ask();
      // Cancelled: no trace.
      if (send === null || this.pending.get(kind, id) !== undefined) return;
      try {
        this.pending.start(kind, id, Date.now());
        this.render();
        const r = await send();
        if (this.pending.get(kind, id) !== undefined) {
          // The confirming event can arrive on the WebSocket before this answer: then there is nothing to wait for.
          this.pending.recorded(kind, id, r.seq);
          this.say(`${PAST_TENSE[kind]} (${this.whose(kind, id)}): request recorded (event ${r.seq}), waiting for confirmation…`);
        }
      } catch (err) {
        this.pending.fail(kind, id);
        const status = err instanceof ApiFailure ? ` (HTTP ${err.status})` : '';
        // The action's name, not its past tense: "Call ended: FAILED" read as if the call had ended.
        this.say(`${ACTION_LABEL[kind]} (${this.whose(kind, id)}): FAILED${status}: ${(err as Error).message}`, true);
        if (err instanceof ApiFailure && err.status === 401) this.onSignedOut('Your session ended: please log in again.');
      }
      this.render();
    })();
  }

  private async loadAudit(): Promise<void> {
    this.audit = 'loading';
    this.render();
    try {
      this.audit = { ...(await api.audit(100)), readAtMs: this.now() };
    } catch (err) {
      this.audit = `Audit log: ${(err as Error).message}`;
    }
    this.render();
  }
}

function drawStatus(s: ConnectionStatus, lastSeq: number): void {
  const el = byId('conn');
  let text: string;
  switch (s.kind) {
    case 'connecting': text = s.attempt === 0 ? 'Connecting…' : `Reconnecting (attempt ${s.attempt + 1})…`; break;
    case 'catching-up': text = `Catching up (event ${lastSeq} of ${s.headSeq})…`; break;
    case 'live': text = `Live · event ${lastSeq}`; break;
    case 'waiting': text = `DISCONNECTED (${s.reason}): retry in ${clock(Math.max(0, (s.retryAt - Date.now()) / 1000))}, resuming after event ${s.since}`; break;
    case 'signed-out': text = 'Signed out'; break;
    default: {
      const never: never = s;
      text = String(never);
    }
  }
  if (el.textContent !== text) el.textContent = text;
  el.className = `conn ${s.kind}`;
  el.dataset['state'] = s.kind;
  // Not #conn itself: its text changes with every event ("Live · event 1234") and each second of a wait ("retry in
  // 0:04"), and as a live region it was read out each time. A region of its own says the state when it changes; a
  // wait and the attempt after it are the same words (an outage is not said again at every retry).
  const said = s.kind === 'live' ? 'Live: connected to the gateway.'
    : s.kind === 'catching-up' ? 'Catching up with the gateway…'
    : s.kind === 'signed-out' ? 'Signed out.'
    : s.kind === 'connecting' && s.attempt === 0 ? 'Connecting to the gateway…'
    : 'Disconnected from the gateway: reconnecting…';
  const spoken = byId('conn-announce');
  if (spoken.textContent !== said) spoken.textContent = said;
}

/** A yes/no question in a modal <dialog> (never window.confirm, which would freeze the event loop). */
export function confirmDialog(question: string): Promise<boolean> {
  const dlg = byId<HTMLDialogElement>('confirm-dialog');
  byId('confirm-text').textContent = question;
  dlg.returnValue = '';
  showModalKeepingFocus(dlg);
  byId<HTMLButtonElement>('confirm-yes').focus();
  return new Promise((resolve) => dlg.addEventListener('close', () => resolve(dlg.returnValue === 'yes'), { once: true }));
}

/**
 * The close-incident form: outcome (required), note, force when transferred. `tracking`: the incident is still
 * tracking: the gateway sends it STOP as the incident closes, and it goes on reporting until the STOP reaches it
 * (docs/gateway.md): the form says so.
 */
export function closeDialog(tracking: boolean): Promise<{ outcome: IncidentOutcome; note: string; transferredTo: string } | null> {
  const dlg = byId<HTMLDialogElement>('close-dialog');
  const form = byId<HTMLFormElement>('close-form');
  form.reset();
  byId('close-tracking').hidden = !tracking;
  // The warning is the dialog's description while it is shown: a screen reader read the title and the Outcome field
  // and never the warning that the handset goes on tracking. Not referenced when hidden (a hidden element that is
  // referenced is still read).
  if (tracking) dlg.setAttribute('aria-describedby', 'close-tracking');
  else dlg.removeAttribute('aria-describedby');
  dlg.returnValue = '';
  showModalKeepingFocus(dlg);
  byId<HTMLSelectElement>('close-outcome').focus();
  return new Promise((resolve) => dlg.addEventListener('close', () => {
    if (dlg.returnValue !== 'close') return resolve(null);
    resolve({
      outcome: byId<HTMLSelectElement>('close-outcome').value as IncidentOutcome,
      note: byId<HTMLTextAreaElement>('close-note').value,
      transferredTo: byId<HTMLInputElement>('close-force').value,
    });
  }, { once: true }));
}
