// The supervisor's view: every open incident across lines with the age of its last fix and track exports
// (GeoJSON, GPX), handset health (missed heartbeats, low battery, tamper), modem lines, refused reports and
// the audit log. Engineers see the lines, handset health and the refused reports that name a handset, without
// the sender (the gateway sends them nothing else).
import type { AuditEntry } from '../protocol/schemas/index.js';
import { api } from './api.js';
import type { ConsoleState } from './console-state.js';
import { h } from './dom.js';
import { ageSeconds, clock, lineDetailText, PROBLEM_TEXT, REJECT_TEXT, signal, sinceText, timeOfDay } from './format.js';
import { healthFigures } from './health-figures.js';
import type { LineSince } from './line-since.js';
import { PRIORITY_LABEL } from './queue-order.js';
import { staleness } from './staleness.js';

/**
 * `readAtMs`: when the page was read (the gateway's clock as the console estimates it). `verified`: the entries the
 * gateway verified (the whole log); `broken`: the first broken link and the gateway's words for it.
 */
export type AuditData = {
  readonly entries: readonly AuditEntry[]; readonly chainOk: boolean; readonly verified: number;
  readonly broken: { readonly at: number | null; readonly message: string } | null; readonly readAtMs: number;
} | 'loading' | string | null;

/**
 * The verdict: it read "Hash chain verified." under "the newest 33 entries" (the gateway verifies the whole log, not
 * the entries listed), and "HASH CHAIN BROKEN: tell the system owner." without which entry or what was done to it.
 */
function auditVerdict(audit: { readonly chainOk: boolean; readonly verified: number; readonly broken: { readonly message: string } | null }): string {
  if (audit.chainOk) return `Hash chain verified: all ${audit.verified} entries, from the first.`;
  return `HASH CHAIN BROKEN: ${audit.broken?.message ?? 'no reason given'}. Tell the system owner.`;
}

/**
 * The audit list is read on demand, not polled: reading it is itself an audited read, kept for ever, and a
 * poll would fill the newest 100 with the supervisor's own reads. Older than this, it says it may be out of date.
 */
export const AUDIT_OLD_MS = 5 * 60_000;

/**
 * The line's network and signal: not known while it is not up (the event keeps the last ones it had). The signal
 * in the handset's words (bars out of 5 and dBm, format.ts): it read "20", the modem's raw AT+CSQ figure, beside
 * the handset's "5/5 (-73 dBm)" for the same figure, and "99" for a modem that does not know it.
 */
function lineNetwork(l: { readonly state: string; readonly registration: string; readonly signalCsq: number | null }): [string, string] {
  if (l.state !== 'up') return ['not known (line not up)', '—'];
  return [l.registration, l.signalCsq === null || l.signalCsq === 99 ? 'unknown' : signal(l.signalCsq)];
}

/**
 * What is wrong with a line, in a few words, or null when it takes 999 calls and SMS: not up, up but not registered
 * on a network (its state is `up` with the registration beside it: protocol/schemas), where no 999 call or SMS
 * reaches it, or its SMS storage nearly full (the gateway says so in the detail: gateway/lines/sim-storage.ts),
 * where it is about to refuse reports.
 */
function lineProblem(l: { readonly state: string; readonly registration: string; readonly detail: string }): string | null {
  if (l.state !== 'up') return l.state;
  if (l.registration !== 'home' && l.registration !== 'roaming') return `no network (${l.registration})`;
  if (/SMS storage \d+\/\d+/.test(l.detail)) return 'SMS storage nearly full';
  return null;
}

/**
 * The lines in one sentence at the top of the overview: a line down was said only in its row of the lines table,
 * below the fold of the overview with two open incidents at 1600x1000 (and under the queue at 1280x800), and
 * nothing else on the screen said it.
 */
function linesSummary(lines: readonly { readonly lineId: string; readonly state: string; readonly registration: string; readonly detail: string }[]): HTMLElement | null {
  if (lines.length === 0) return null;
  const bad = lines.flatMap((l) => { const p = lineProblem(l); return p === null ? [] : [`${l.lineId} ${p}`]; });
  if (bad.length === 0) return h('p', { id: 'lines-summary', class: 'ok' }, `Modem lines: all ${lines.length} working.`);
  return h('p', { id: 'lines-summary', class: 'warn' }, `Modem lines: ${lines.length - bad.length} of ${lines.length} working; not working: ${bad.join(', ')}.`);
}

/**
 * A table whose cells carry their column's name (`data-label`): where the overview is narrower than the
 * table (a laptop screen), each row wraps as a block of "name: value" (styles.css), every column on screen.
 */
function labelled(caption: string, head: readonly string[], rows: HTMLTableRowElement[], cls = 'sv-table'): HTMLTableElement {
  for (const tr of rows) for (const [i, td] of [...tr.cells].entries()) td.dataset['label'] = head[i] ?? '';
  return h('table', { class: cls },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows),
  );
}

function table(caption: string, head: readonly string[], rows: HTMLTableRowElement[], empty: string): HTMLElement {
  if (rows.length === 0) return h('section', { class: 'sv-block' }, h('h3', {}, caption), h('p', { class: 'empty' }, empty));
  return h('section', { class: 'sv-block' }, labelled(caption, head, rows));
}

/** One focus group per column of the open incidents' controls (dom.ts replaceChildren); Refresh when none is left. */
const inColumn = (group: 'sv-incident' | 'sv-geojson' | 'sv-gpx') => ({ 'data-focus-group': group, 'data-focus-fallback': 'audit-refresh' });

/**
 * The overview is drawn anew every second (app.ts draw): each control in it carries a `data-focus-key`, so that
 * dom.ts replaceChildren puts a keyboard supervisor's focus back on the same control (Refresh, an incident's
 * link, an export link); without one the focus fell to the page within a second and her next Tab began at the top.
 * Each column of the incident links and export links is a focus group: when her focused incident closes, the focus
 * goes to the same control of the next incident (else the one before), else to the audit log's Refresh, not to
 * the page (it fell there).
 */
export function supervisorPanel(state: ConsoleState, nowMs: number, showVictimData: boolean, audit: AuditData, lineRuns: LineSince, onSelect: (incidentId: string) => void, onAudit: () => void): HTMLElement[] {
  const out: HTMLElement[] = [];
  const summary = linesSummary([...state.lines.values()]);
  if (summary !== null) out.push(summary);
  if (showVictimData) {
    const open = [...state.incidents.values()].filter((i) => i.state !== 'closed').sort((a, b) => a.openedAt.localeCompare(b.openedAt));
    // The age of the last fix right after the incident: what a supervisor watches comes first, also where the
    // overview is narrow and each row wraps as a block (labelled).
    out.push(table('Open incidents', ['Incident', 'Last fix', 'State', 'Tracking', 'Priority', 'Opened', 'Track export'], open.map((i) => {
      const t = state.tracks.get(i.id) ?? [];
      const last = t[t.length - 1];
      const age = last === undefined ? null : ageSeconds(last.fixTime, nowMs);
      return h('tr', { class: `p-${i.priority}` },
        h('td', {}, h('button', { type: 'button', class: 'link', 'data-focus-key': `sv-incident:${i.id}`, ...inColumn('sv-incident'), onclick: () => onSelect(i.id) }, `${i.id} (${i.handsetId})`)),
        // An alarm (amber, red) only for a live track, as the incident's own fix line: an incident whose tracking
        // stopped turned red, as if reports from her handset were missing, when none were due.
        h('td', { class: age === null || !i.tracking ? '' : staleness(age, last?.gpsStatus !== 'invalid') }, age === null ? 'none' : `${clock(age)} ago`),
        h('td', {}, i.state),
        h('td', {}, i.tracking ? 'yes' : 'no'),
        h('td', {}, PRIORITY_LABEL[i.priority]),
        h('td', {}, timeOfDay(i.openedAt)),
        h('td', {},
          h('a', { href: api.exportUrl(i.id, 'geojson'), 'data-focus-key': `sv-geojson:${i.id}`, ...inColumn('sv-geojson'), download: `incident-${i.id}-track.geojson` }, 'GeoJSON'), ' ',
          h('a', { href: api.exportUrl(i.id, 'gpx'), 'data-focus-key': `sv-gpx:${i.id}`, ...inColumn('sv-gpx'), download: `incident-${i.id}-track.gpx` }, 'GPX')),
      );
    }), 'No open incidents.'));
  }
  const health = [...state.health.values()];
  const lowBattery = [...state.handsets.values()].filter((x) => x.batteryPct !== null && x.batteryPct <= 20 && !state.health.has(x.handsetId));
  out.push(table('Handset health', ['Handset', 'Problem', 'Battery', 'Last heartbeat', 'Detail'], [
    ...health.map((e) => {
      const f = healthFigures(e, state.handsets.get(e.handsetId));
      return h('tr', { class: 'warn' }, h('td', {}, e.handsetId), h('td', {}, PROBLEM_TEXT[e.problem] ?? e.problem), h('td', {}, f.batteryPct === null ? '?' : `${f.batteryPct}%`),
        h('td', {}, f.lastHeartbeatAt === null ? 'never' : timeOfDay(f.lastHeartbeatAt)), h('td', {}, e.detail));
    }),
    // Its last heartbeat is the report that said so (every verified report is one): it read "?".
    ...lowBattery.map((x) => h('tr', { class: 'warn' }, h('td', {}, x.handsetId), h('td', {}, 'low battery'), h('td', {}, `${x.batteryPct}%`),
      h('td', {}, x.lastReportAt === null ? '?' : timeOfDay(x.lastReportAt)), h('td', {}, 'from its last report'))),
  ], 'No handset problems.'));
  out.push(table('Modem lines', ['Line', 'Port', 'State', 'Network', 'Signal', 'Since', 'Detail'], [...state.lines.values()].map((l) => {
    // Marked when it does not take 999 calls and SMS (lineProblem). "Since": the start of its run up or not up
    // (line-since.ts), not its newest event (a retry of a down line).
    const run = lineRuns.of(l.lineId);
    const since = run === undefined ? timeOfDay(l.at) : run.exact ? sinceText(run.at, nowMs) : `${timeOfDay(run.at)} or earlier`;
    const [network, signal] = lineNetwork(l);
    return h('tr', { class: lineProblem(l) === null ? '' : 'warn', 'data-line': l.lineId },
      h('td', {}, l.lineId), h('td', {}, l.port), h('td', {}, l.state), h('td', {}, network),
      h('td', {}, signal), h('td', { class: 'line-since' }, since), h('td', { class: 'line-detail' }, lineDetailText(l.detail, l.at, nowMs)));
  }), 'No line reports yet.'));
  if (state.rejected.length > 0) {
    // An engineer's have no sender (the gateway sends engineers none: docs/api.md "Who sees what"); the counter
    // instead, beside the handset's own (a replay, a counter gone back).
    const last = showVictimData ? 'From' : 'Counter';
    out.push(table(`Refused reports (${state.rejected.length})`, ['Time', 'Reason', 'Claimed handset', last], state.rejected.slice(-10).reverse().map((r) =>
      h('tr', { class: 'warn' }, h('td', {}, timeOfDay(r.receivedAt)), h('td', {}, REJECT_TEXT[r.reason] ?? r.reason), h('td', {}, r.claimedHandsetId ?? '?'),
        h('td', {}, showVictimData ? (r.fromNumber ?? '?') : (r.counter === null ? '?' : String(r.counter))))), ''));
  }
  if (showVictimData) {
    const auditBody = audit === null ? h('p', {}, 'Not loaded.')
      : audit === 'loading' ? h('p', { 'aria-busy': 'true' }, 'Loading…')
      : typeof audit === 'string' ? h('p', { role: 'alert' }, audit)
      : h('div', {},
        h('p', { id: 'audit-read-at', class: nowMs - audit.readAtMs > AUDIT_OLD_MS ? 'warn' : '' }, nowMs - audit.readAtMs > AUDIT_OLD_MS
          ? `Read ${sinceText(new Date(audit.readAtMs).toISOString(), nowMs)}: newer entries are not shown until you refresh.`
          : `Read ${sinceText(new Date(audit.readAtMs).toISOString(), nowMs)}.`),
        h('p', { id: 'audit-verdict', class: audit.chainOk ? 'ok' : 'warn' }, auditVerdict(audit)),
        labelled(`Audit log: the newest ${audit.entries.length} entries, newest first`, ['Time', 'Who', 'Action', 'Subject', 'Detail'],
          [...audit.entries].reverse().map((e) => h('tr', { class: e.seq === audit.broken?.at ? 'warn' : '' }, h('td', {}, timeOfDay(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.subject), h('td', {}, e.detail))),
          'sv-table audit'));
    out.push(h('section', { class: 'sv-block' }, h('h3', {}, 'Audit log ', h('button', { type: 'button', id: 'audit-refresh', 'data-focus-key': 'audit-refresh', onclick: onAudit }, 'Refresh')), auditBody));
  }
  return out;
}
