// The incident panel: who is calling and what the handler must know at once (safety notes, risk markers),
// the handset's battery, signal and last report, and the action buttons. A button whose action the gateway
// has not yet confirmed says "pending" and is disabled until the confirming event arrives (pending.ts).
import type { CallEndedBy, CallView, IncidentCause, IncidentView, VictimRecord } from '../protocol/schemas/index.js';
import type { CommandState, HandsetState, IncidentState } from './console-state.js';
import { h } from './dom.js';
import { outcomeText, signal, sinceText, timeOfDay } from './format.js';
import type { ActionKind, PendingActions } from './pending.js';
import { PRIORITY_LABEL } from './queue-order.js';

export type IncidentPanelData = {
  readonly call: CallView | null;
  readonly incident: IncidentState | null;
  readonly victim: VictimRecord | null | 'loading' | 'refused';
  /** The incident as last read from REST (battery etc. before any status event). */
  readonly snapshot: IncidentView | null;
  readonly handset: HandsetState | null;
  readonly locate: CommandState | undefined;
  readonly stop: CommandState | undefined;
  /** A newer incident of the same handset is open (tracksAfterClose). */
  readonly newerOpen?: boolean;
  readonly pending: PendingActions;
  readonly nowMs: number;
  /** The status line's message when it is longer than the line shows (cut with "…" there): drawn whole in the details. */
  readonly statusInFull?: string | null;
  readonly act: (kind: ActionKind) => void;
};

/** What opened the incident, in the handler's words. */
const CAUSE_TEXT: Readonly<Record<IncidentCause, string>> = {
  alarm: 'alarm',
  call: 'call',
  test: 'test',
  // Stays true when the ALM arrives after all (a TRK may overtake it): the cause is what opened the incident.
  tracking: 'tracking reports: no alarm SMS had arrived',
};

/** Button captions, with their keyboard shortcut. */
export const ACTIONS: readonly { kind: ActionKind; label: string; key: string }[] = [
  { kind: 'answer', label: 'Accept call', key: 'A' },
  { kind: 'hangup', label: 'Hang up', key: 'H' },
  { kind: 'acknowledge', label: 'Acknowledge', key: 'K' },
  { kind: 'locate', label: 'Fresh fix', key: 'L' },
  { kind: 'stop', label: 'Stop tracking', key: 'S' },
  { kind: 'close', label: 'Close incident', key: 'C' },
];

/** How recent the last TRK after a close must be for her handset to count as still tracking (the staleness red line). */
const STILL_TRACKING_MS = 180_000;

/**
 * A closed incident whose handset still sends TRKs after the close, with no STOP on its way: the STOP sent at
 * the close could not be sent (no free line) or timed out. Stop tracking stays available there while she is
 * tracked to no one (docs/console.md); the gateway refuses it when a newer incident of hers is open. Not once
 * the STOP was acknowledged: her handset stopped then (it carries a command out before it ACKs it), so a TRK
 * after the ACK is either one sent before it and delivered late, or her next alarm, which opens an incident of
 * its own (its ALM lost: gateway/reports/report-events/trk.ts); offering to stop it from here stopped that.
 * Nor while a newer incident of her handset is open (`newerOpen`): her TRKs are that incident's, tracking is
 * handled there, and the gateway refuses a STOP from here (409).
 */
export function tracksAfterClose(incident: IncidentState | null, handset: HandsetState | null, stop: CommandState | undefined, nowMs: number, newerOpen = false): boolean {
  if (incident === null || incident.state !== 'closed' || incident.closedAt === null || newerOpen) return false;
  if (handset === null || handset.lastEvent !== 'TRK' || handset.lastReportAt === null || handset.lastReportAt <= incident.closedAt) return false;
  // Tracking sends a TRK every 10-30 s: one older than STILL_TRACKING_MS was the last (a late one after a STOP's ACK).
  if (nowMs - Date.parse(handset.lastReportAt) > STILL_TRACKING_MS) return false;
  if (stop === undefined) return true;
  const r = stop.result;
  if (r === null || r.result === 'sent') return false;
  return r.result !== 'acknowledged';
}

/** Whether a closed `incident`'s handset has a newer incident open among `incidents` (tracksAfterClose's `newerOpen`). */
export function newerIncidentOpen(incidents: Iterable<IncidentState>, incident: IncidentState | null): boolean {
  if (incident === null || incident.state !== 'closed') return false;
  for (const i of incidents) if (i.handsetId === incident.handsetId && i.state !== 'closed' && i.id !== incident.id) return true;
  return false;
}

/** Whether an action makes sense now (the button is disabled otherwise). `afterClose`: tracksAfterClose. */
export function actionEnabled(kind: ActionKind, call: CallView | null, incident: IncidentState | null, afterClose = false): boolean {
  switch (kind) {
    case 'answer':
      return call?.state === 'ringing';
    case 'hangup':
      return call !== null && call.state !== 'ended';
    case 'acknowledge':
      return incident?.state === 'open';
    case 'locate':
      return incident !== null && incident.state !== 'closed';
    case 'stop':
      return incident !== null && (incident.state !== 'closed' ? incident.tracking : afterClose);
    case 'close':
      return incident !== null && incident.state !== 'closed';
    default: {
      const never: never = kind;
      return Boolean(never);
    }
  }
}

/**
 * Why an action cannot be done for the selection (its button is disabled): said when its key is pressed anyway.
 * A new TecSOS call ringing while the handler was on another incident: A did nothing, with no word.
 */
export function unavailableReason(kind: ActionKind, call: CallView | null, incident: IncidentState | null): string {
  if (call === null && incident === null) return 'nothing is selected';
  switch (kind) {
    case 'answer':
    case 'hangup':
      if (call === null) return 'the selected alarm has no live call';
      if (call.state === 'ended') return 'the selected call has ended';
      return kind === 'answer' ? `the selected call is already answered${call.answeredBy ? ` by ${call.answeredBy}` : ''}` : 'not available now';
    case 'acknowledge':
    case 'locate':
    case 'stop':
    case 'close':
      if (incident === null) return 'the selected call has no TecSOS incident';
      if (incident.state === 'closed') return 'the incident is closed';
      if (kind === 'acknowledge') return `the incident is already acknowledged${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}`;
      return kind === 'stop' && !incident.tracking ? 'the handset is not tracking' : 'not available now';
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

const ENDED_TEXT: Readonly<Record<CallEndedBy, string>> = {
  caller: 'the caller hung up',
  handler: 'hung up by a handler',
  network: 'dropped by the network',
};

/** The user who hung up, when a user did and the view names them (CallView `hungUpBy`, since 25 Nov). */
function hungUpBy(call: CallView): string | null {
  return call.endedBy === 'handler' && call.hungUpBy ? call.hungUpBy : null;
}

/**
 * The call's state in words. Who answered is not who hung up: "Call ended by sam (ended by handler)" read as
 * sam's hang-up when sam had answered and another handler hung up (CallView keeps the answerer, and how it ended).
 * Who hung up is named: a supervisor's hang-up of the call she answered read "hung up by a handler (answered by
 * super)" (25 Nov); it reads "answered and hung up by super".
 */
export function callStateText(call: CallView): string {
  switch (call.state) {
    case 'ringing':
      return 'Call ringing';
    case 'answered':
      return `Call answered${call.answeredBy ? ` by ${call.answeredBy}` : ''}`;
    case 'ended': {
      const by = hungUpBy(call);
      const how = by === null ? (call.endedBy ? `: ${ENDED_TEXT[call.endedBy]}` : '') : `: ${by === call.answeredBy ? 'answered and ' : ''}hung up by ${by}`;
      return `Call ended${call.answeredAt === null ? ' unanswered' : ''}${how}`
        + (call.answeredBy && call.answeredBy !== by ? ` (answered by ${call.answeredBy})` : '');
    }
    default: {
      const never: never = call.state;
      return String(never);
    }
  }
}

function subjectId(kind: ActionKind, call: CallView | null, incident: IncidentState | null): string | null {
  return kind === 'answer' || kind === 'hangup' ? (call?.id ?? null) : (incident?.id ?? null);
}

/** A TSC1 command's fate in words: the modem's +CMGS, then the handset's ACK report, or why not. */
export function commandText(c: CommandState): string {
  if (c.result === null) return 'requested, waiting for the modem';
  const r = c.result.result;
  switch (r) {
    case 'sent':
      // Recorded after a gateway restart that lost the modem's answer: it may not have left (docs/gateway.md).
      return c.result.detail.startsWith('uncertain') ? `MAY NOT HAVE LEFT, waiting for the handset: ${c.result.detail}` : 'sent, waiting for the handset';
    case 'acknowledged':
      return 'acknowledged by the handset';
    case 'failed':
    case 'timeout':
      return `${r.toUpperCase()}: ${c.result.detail}`;
    default: {
      const never: never = r;
      return String(never);
    }
  }
}

function commandLine(label: string, c: CommandState | undefined): HTMLElement | null {
  if (c === undefined) return null;
  return h('p', { class: `command ${c.result?.result ?? 'waiting'}` }, `${label}: ${commandText(c)} (${timeOfDay(c.sent.at)})`);
}

function victimBlock(v: IncidentPanelData['victim']): HTMLElement {
  if (v === null) return h('div', { class: 'victim none' }, 'No victim record: not a registered TecSOS handset, or the handset has been issued to someone else since this incident.');
  if (v === 'loading') return h('div', { class: 'victim loading', 'aria-busy': 'true' }, 'Loading the victim record…');
  if (v === 'refused') return h('div', { class: 'victim refused', role: 'alert' }, 'The victim record could not be read (see the message above).');
  return h('div', { class: 'victim' },
    h('h3', {}, v.name),
    // The markers (a few words each) before the notes (up to 2,000 characters): never scrolled away by them.
    h('ul', { class: 'risk-markers', 'aria-label': 'Risk markers' }, v.riskMarkers.map((m) => h('li', { class: 'risk' }, m.replace(/-/g, ' ')))),
    h('p', { class: 'safety-notes' }, h('strong', {}, 'Safety notes: '), v.safetyNotes || 'none recorded'),
    v.address !== undefined ? h('p', {}, h('strong', {}, 'Address: '), v.address) : null,
    v.perpetratorNotes !== undefined ? h('p', {}, h('strong', {}, 'Perpetrator: '), v.perpetratorNotes) : null,
  );
}

function handsetBlock(d: IncidentPanelData): HTMLElement | null {
  const battery = d.handset?.batteryPct ?? d.snapshot?.handset?.batteryPct ?? null;
  const csq = d.handset?.csq ?? d.snapshot?.handset?.csq ?? null;
  const last = d.handset?.lastReportAt ?? d.snapshot?.handset?.lastReportAt ?? null;
  if (d.incident === null && d.handset === null) return null;
  return h('dl', { class: 'handset' },
    h('dt', {}, 'Battery'), h('dd', { class: battery !== null && battery <= 20 ? 'warn' : '' }, battery === null ? 'unknown' : `${battery}%`),
    h('dt', {}, 'Signal'), h('dd', {}, signal(csq)),
    h('dt', {}, 'Last report'), last === null ? h('dd', {}, 'none yet') : h('dd', { 'data-since': last }, sinceText(last, d.nowMs)),
  );
}

export function incidentPanel(d: IncidentPanelData): HTMLElement[] {
  const { call, incident } = d;
  const priority = incident?.priority ?? call?.priority ?? 'ordinary';
  const afterClose = tracksAfterClose(incident, d.handset, d.stop, d.nowMs, d.newerOpen);
  const buttons = ACTIONS.map(({ kind, label, key }) => {
    const id = subjectId(kind, call, incident);
    const pending = id === null ? undefined : d.pending.get(kind, id);
    const enabled = actionEnabled(kind, call, incident, afterClose) && pending === undefined;
    return h('button', {
      type: 'button', id: `act-${kind}`, class: `action a-${kind}${pending ? ' pending' : ''}`, disabled: !enabled,
      // The focus key names what the button acts on (her call, her incident): when the console shows another one by
      // itself (her ended call dropped from memory, a reset of the stream), the focus went to the same button of
      // that other victim's incident, and her next Enter acted on it. It goes to the toolbar instead (dom.ts).
      'aria-keyshortcuts': key, 'aria-busy': pending ? 'true' : null, 'data-focus-key': `act-${kind}:${id ?? ''}`, 'data-focus-fallback': 'actions',
      onclick: () => d.act(kind),
      // The words in a span of their own: "pending…" drawn smaller on one line, the button as big as before (styles.css).
      // Pending, the action's name and ": pending…" in spans of their own: where the line is too short, the name is
      // cut ("Acknowle…: pending…"), never the word that says what is happening ("Acknowledge: pen…" at 1280x720).
    }, h('span', { class: 'label' }, pending ? [h('span', { class: 'what' }, label), h('span', { class: 'state' }, ': pending…')] : label),
    h('kbd', { 'aria-hidden': 'true' }, key));
  });
  const stateWords = [
    call ? callStateText(call) : null,
    incident ? `Incident ${incident.state}${ackedBy(incident)}${incident.tracking ? ', tracking' : afterClose ? ', her handset still tracking' : ', not tracking'}` : null,
  ].filter((x) => x !== null).join(' · ');
  return [
    // The details scroll on their own (styles.css .incident-details) and the toolbar is under them, outside the
    // scroller, at the bottom of the details column: nothing in them (the state line growing after Accept, a
    // command's line, a long record) moves the buttons, and the toolbar is never drawn over the record. After Accept
    // the buttons moved about 50 px down (the status and state lines wrapping): where Fresh fix had been, Hang up was.
    // The record comes before the buttons (read before the call is accepted), in the page's order too; nothing
    // focusable comes between them. `data-shows`: what they are about; while it stays the same, the panel drawn again
    // keeps how far they were scrolled (app.ts drawIncident).
    // Chromium makes a scroller with nothing focusable in it a tab stop (to scroll it with the keys): focused, the
    // details drawn anew keep the focus by their focus key (dom.ts), not the page.
    h('div', { class: 'incident-details', 'data-shows': `${incident?.id ?? ''}:${call?.id ?? ''}`, 'data-focus-key': 'details' },
      h('header', { class: `incident-head p-${priority}` },
        h('h2', { id: 'incident-h' }, `${priority === 'tecsos' || priority === 'tecsos-unregistered' ? '⚠ ' : ''}${PRIORITY_LABEL[priority]}`,
          call?.callerNumber ? ` · ${call.callerNumber}` : call ? ' · number withheld' : '',
          incident ? ` · ${incident.handsetId}` : ''),
        h('p', { class: 'incident-state', id: 'incident-state' }, stateWords),
        h('p', { class: 'incident-meta' }, [call ? `Line ${call.lineId}` : null, (incident?.force ?? call?.force) ? `Force: ${incident?.force ?? call?.force}` : null,
          incident ? `Opened ${timeOfDay(incident.openedAt)} (${CAUSE_TEXT[incident.cause]})` : null].filter(Boolean).join(' · ')),
      ),
      incident !== null ? victimBlock(d.victim)
        // A call with no incident (an ordinary 999 call, a test call, an unregistered TecSOS-range number): there was
        // never a record to read, and "issued to someone else since this incident" named an incident there is not.
        : h('div', { class: 'victim none' }, 'No TecSOS record: the call is not from a registered TecSOS handset.'),
      commandLine('Fresh fix', d.locate),
      commandLine('Stop tracking', d.stop),
      handsetBlock(d),
      // The status line above the details is one or two lines at most (styles.css): a message longer than that is cut
      // there with "…" and drawn whole here, where it moves nothing (aria-hidden: the status line reads it out whole).
      d.statusInFull ? h('p', { class: 'status-full', 'aria-hidden': 'true' }, h('strong', {}, 'Message in full: '), d.statusInFull) : null,
    ),
    // Focusable from code only (tabindex -1), with a focus key: the focus stays here when the focused button is drawn
    // again disabled (its request pending) or went while a dialog was open (dom.ts focusKeyed), not on the page.
    h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Call and incident actions', tabindex: '-1', 'data-focus-key': 'actions' }, buttons),
  ];
}

/**
 * Who acknowledged the incident and its outcome, in words: "acknowledged by sam", "closed: officers attended
 * (acknowledged by sam)". The line read "acknowledged (ack sam)" and "closed (ack sam): officers attended".
 */
function ackedBy(incident: IncidentState): string {
  const outcome = incident.outcome ? `: ${outcomeText(incident.outcome, incident.transferredTo)}` : '';
  if (incident.acknowledgedBy === null) return outcome;
  return incident.state === 'acknowledged' ? ` by ${incident.acknowledgedBy}${outcome}` : `${outcome} (acknowledged by ${incident.acknowledgedBy})`;
}
