// The end-to-end check of a handset's key, number and line: AT+TSTEST makes it send a TST report signed with its
// key, and the gateway sets the handset's `lastReportAt` only for a report whose MAC verified with the
// registered key and that came from the registered number (gateway/reports/tsr1-intake.ts). So a newer
// `lastReportAt` in GET /api/handsets proves the report reached the gateway, which shows it on the console
// labelled as a test. Used by `tecsos provision` (verify-report) and `tecsos test-alarm --gateway`.
// When none arrives, the gateway's last refusal of a report claiming the handset (its `lastRejection`, newer
// than the mark) says why: a report from another number than --number (`sender-mismatch`), another key (`bad-mac`).
// The gateway gives an engineer the reason and when, never its free-text detail (docs/api.md "Who sees what": for a
// sender-mismatch it names the number the SMS came from, which may be a person's); so the tool says what each
// reason means on the bench, beside the number the gateway has for the handset.

import type { HandsetView } from '../../protocol/schemas/handsets.js';
import type { GatewayClient } from './gateway-client.js';
import type { HandsetConsole } from './handset-console.js';

/** What the wait needs: the time, a pause, and whether the engineer interrupted it. */
export type ReportCheckDeps = {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly interrupted?: AbortSignal;
};

/** What the gateway listed for the handset before the test report: the mark both checks compare with. */
export type ReportMark = Pick<HandsetView, 'lastReportAt' | 'lastRejection'>;

/** Sends AT+TSTEST and waits for the gateway to show a newer report from the handset; the problem, or undefined. */
export async function verifyReport(usb: HandsetConsole, gateway: GatewayClient, id: string, mark: ReportMark, waitMs: number, deps: ReportCheckDeps): Promise<string | undefined> {
  const t = await usb.testAlarm();
  if (!t.ok) return `the handset did not send a test report (${t.failure.command}: ${t.failure.reason})`;
  const deadline = deps.now() + waitMs;
  let last: HandsetView | undefined;
  for (;;) {
    const list = await gateway.listHandsets();
    const entry = list.ok ? list.value.find((h) => h.id === id) : undefined;
    if (entry !== undefined) last = entry;
    const seen = entry?.lastReportAt ?? null;
    if (seen !== null && seen !== mark.lastReportAt) return undefined;
    if (deps.now() >= deadline) return `no report from it reached the gateway within ${Math.round(waitMs / 1000)} s${refusal(last, mark)}`;
    if (deps.interrupted?.aborted === true) return 'interrupted';
    await deps.sleep(1000);
  }
}

/** What a refusal means for the handset on the bench, for the reasons a bench test report can meet. */
const MEANING: Partial<Record<NonNullable<HandsetView['lastRejection']>['reason'], (h: HandsetView) => string>> = {
  'sender-mismatch': (h) => `the SMS came from a number other than ${h.number}, the one the gateway has for ${h.id}`,
  'bad-mac': (h) => `not signed with the key the gateway holds for ${h.id}`,
  replay: () => 'a counter the gateway had already accepted from it: its counter went back',
  'too-old': () => 'a counter too far behind the last one the gateway accepted from it',
  incomplete: () => 'some parts of the SMS never arrived',
};

/**
 * The gateway's refusal of a report claiming the handset since the mark, as a clause; '' when none. A
 * sender-mismatch is told in the tool's own words, never with the gateway's detail (an older gateway's names the
 * sender); another reason with the gateway's detail when there is one (a supervisor's login), else the tool's.
 */
function refusal(entry: HandsetView | undefined, mark: ReportMark): string {
  const r = entry?.lastRejection;
  if (entry === undefined || r === undefined || r === null || r.at === mark.lastRejection?.at) return '';
  const meaning = r.reason === 'sender-mismatch' || r.detail === '' ? MEANING[r.reason]?.(entry) : r.detail;
  return `; the gateway refused a report claiming to be from it at ${r.at}: ${r.reason}${meaning === undefined ? '' : ` (${meaning})`}`;
}
