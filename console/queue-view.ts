// The call queue as a list: one row per queued call or alarm, TecSOS rows red with an icon and the word
// "TecSOS", a waiting clock on every row. Rows are buttons in a list, so Tab and the arrow keys reach them.
import { h } from './dom.js';
import { ageSeconds, clock, timeOfDay } from './format.js';
import { PRIORITY_LABEL, type MissedItem, type QueueItem } from './queue-order.js';

const ICON: Readonly<Record<QueueItem['priority'], string>> = {
  tecsos: '⚠',
  'tecsos-unregistered': '⚠',
  ordinary: '☎',
  test: '✎',
};

/** The row's state line. A test alarm (the engineer's AT+TSTEST, a handset in test mode) never brings a 999 call. */
export function stateText(item: QueueItem, waitedS: number): string {
  return stateWith(item, `RINGING · waiting ${clock(waitedS)}`, `waiting ${clock(waitedS)}`, `${clock(waitedS)} since it rang`, `open ${clock(waitedS)}`);
}

/**
 * The state for the row's accessible name: since when (the time of day), not the wait clock. The name of the
 * focused row changed every second with its clock, and a screen reader may read a changed name out again.
 */
export function stateName(item: QueueItem, nowMs: number): string {
  const at = timeOfDay(item.since, nowMs);
  return stateWith(item, `RINGING since ${at}`, `waiting since ${at}`, `rang at ${at}`, `open since ${at}`);
}

/**
 * `waiting`: an alarm nobody has acknowledged yet (she waits for someone); `open`: one a handler has acknowledged,
 * whose clock is the incident's age. "acknowledged · waiting 4:33" read as if she were still waiting for someone
 * (three-alarm review, 25 Nov).
 */
function stateWith(item: QueueItem, ringing: string, waiting: string, sinceRang: string, open: string): string {
  switch (item.state) {
    case 'ringing':
      return ringing;
    case 'answered':
      return `On call${item.answeredBy === null ? '' : ` (${item.answeredBy})`} · ${sinceRang}`;
    case 'alarm':
      // Its call ended (hung up, or the caller gone) and the incident is still open: the 999 call is not still to
      // come, and a test incident that a test call opened (a handset in test mode calling 999) did have one.
      const clockText = item.incidentState === 'acknowledged' ? `acknowledged · ${open}` : waiting;
      if (item.priority === 'test') return `TEST ALARM, ${item.hadCall ? 'call ended' : 'no 999 call'} · ${clockText}`;
      return `ALARM, ${item.hadCall ? 'call ended' : 'no call yet'} · ${clockText}`;
    default: {
      const never: never = item.state;
      return String(never);
    }
  }
}

export function queueRow(item: QueueItem, selected: boolean, nowMs: number, onSelect: (key: string) => void): HTMLLIElement {
  const waited = ageSeconds(item.since, nowMs);
  const who = item.callerNumber ?? (item.callId !== null ? 'number withheld' : '');
  const label = PRIORITY_LABEL[item.priority];
  return h('li', { class: `queue-item p-${item.priority} s-${item.state}${selected ? ' selected' : ''}`, 'data-key': item.key, 'data-priority': item.priority },
    h('button', {
      // The row's own focus key, and her incident's as its alias: the row of an alarm whose 999 call rings becomes
      // the call's row (incident:<id> -> call:<id>), and back when the caller hangs up; the focus stays on it (dom.ts
      // replaceChildren). Without the alias it went to a neighbour, another victim's call, and her next Enter
      // selected that call. Not her incident's key as the focus key: two live calls of hers (her handset redialled
      // on another line) shared it, and when the focused one ended the focus went to the first row with her key,
      // above it, not to the row after it.
      type: 'button', class: 'queue-button', 'data-focus-key': item.key,
      'data-focus-alias': item.incidentId !== null && item.key !== `incident:${item.incidentId}` ? `incident:${item.incidentId}` : null,
      'aria-current': selected ? 'true' : null,
      // The name without the wait clock (stateName): the row is drawn every second, the focused one too.
      'aria-label': `${label}, ${stateName(item, nowMs)}, ${who} ${item.handsetId ?? ''}`,
      onclick: () => onSelect(item.key),
    },
      h('span', { class: 'q-icon', 'aria-hidden': 'true' }, ICON[item.priority]),
      h('span', { class: 'q-label' }, label),
      h('span', { class: 'q-who' }, [who, item.handsetId, item.force].filter((part) => part !== null && part !== '').join(' · ')),
      h('span', { class: 'q-state' }, stateText(item, waited)),
      h('span', { class: 'q-clock', 'aria-hidden': 'true' }, clock(waited)),
    ),
  );
}

/**
 * One row of the Missed list: who rang, on which line, how long it rang, and how long ago it ended. Its focus key
 * keeps a keyboard handler on the row through the 1 s re-draw (dom.ts replaceChildren); without one the focus
 * fell to the page every second, its ring gone and her place in the list with it.
 */
export function missedRow(item: MissedItem, selected: boolean, nowMs: number, onSelect: (key: string) => void): HTMLLIElement {
  const rang = Math.max(0, Math.round((Date.parse(item.endedAt) - Date.parse(item.ringingAt)) / 1000));
  const ago = ageSeconds(item.endedAt, nowMs);
  const who = item.callerNumber ?? 'number withheld';
  const how = item.endedBy === 'caller' ? 'caller hung up' : 'call dropped';
  const label = PRIORITY_LABEL[item.priority];
  const state = `MISSED · rang ${clock(rang)}, ${how} · ${clock(ago)} ago`;
  return h('li', { class: `missed-item p-${item.priority}${selected ? ' selected' : ''}`, 'data-key': item.key, 'data-priority': item.priority },
    h('button', {
      type: 'button', class: 'queue-button', 'data-focus-key': `missed:${item.key}`, 'aria-current': selected ? 'true' : null,
      // When it ended, not how long ago: the name of a focused row would change every second.
      'aria-label': `Missed ${label} call, ${who} ${item.handsetId ?? ''}, on ${item.lineId}, rang ${clock(rang)}, ${how}, ended at ${timeOfDay(item.endedAt, nowMs)}`,
      onclick: () => onSelect(item.key),
    },
      h('span', { class: 'q-icon', 'aria-hidden': 'true' }, ICON[item.priority]),
      h('span', { class: 'q-label' }, label),
      h('span', { class: 'q-who' }, [who, item.handsetId, item.lineId, item.force].filter((part) => part !== null && part !== '').join(' · ')),
      h('span', { class: 'q-state' }, state),
    ),
  );
}
