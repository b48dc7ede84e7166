// The handset's self-test as the engineer runs it: AT+TSSELFTEST answers one line per part (flash, battery,
// button, modem, gps). The button part passes only if the button was pressed in the last minute, so when it is
// the only thing missing the tool asks the engineer to press it and runs the self-test again every few seconds
// until it passes or the wait is over (the gps part waits for a fix each time; once the receiver is warm that
// takes a second or two).

import type { ConsoleReply, HandsetConsole } from './handset-console.js';
import type { SelfTestItem } from './responses.js';

export type SelfTestOptions = {
  /** How long to wait for a button press when that is all that fails (ms; 0 = do not wait). */
  readonly buttonWaitMs: number;
  /** Pause between runs while waiting for the press (ms, default 2000). */
  readonly pollMs?: number;
  /** Parts allowed to fail (e.g. `gps` on a bench without sky view). */
  readonly allowFail?: ReadonlySet<string>;
  /** Called once when the engineer must press the button. */
  readonly onPressButton?: () => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Stops waiting for the button press (the engineer interrupted the tool). */
  readonly interrupted?: AbortSignal;
};

export type SelfTestOutcome = {
  readonly items: readonly SelfTestItem[];
  /** Every part passed, or failed only where allowed. */
  readonly passed: boolean;
  /** Parts that failed and were not allowed to. */
  readonly failed: readonly SelfTestItem[];
};

/** The parts every self-test answer must report (docs/firmware-sim-handset.md, AT+TSSELFTEST). */
export const SELF_TEST_PARTS = ['flash', 'battery', 'button', 'modem', 'gps'] as const;

function judge(reported: readonly SelfTestItem[], allowFail: ReadonlySet<string>): SelfTestOutcome {
  // A part the answer leaves out was not checked: it fails (a firmware that skipped its modem check, or a device
  // that answers one line and OK, must not pass for a handset whose every part works).
  const missing = SELF_TEST_PARTS.filter((p) => !reported.some((i) => i.part === p)).map((part) => ({ part, ok: false, detail: 'not reported by the handset' }));
  const items = [...reported, ...missing];
  const failed = items.filter((i) => !i.ok && !allowFail.has(i.part));
  return { items, passed: failed.length === 0, failed };
}

/** Runs the self-test, waiting for a button press if that is all that is missing. */
export async function runSelfTest(usb: HandsetConsole, options: SelfTestOptions): Promise<ConsoleReply<SelfTestOutcome>> {
  const allow = options.allowFail ?? new Set<string>();
  let r = await usb.selfTest();
  if (!r.ok) return r;
  let outcome = judge(r.value, allow);
  const onlyButton = (o: SelfTestOutcome) => o.failed.length === 1 && o.failed[0]?.part === 'button';
  if (!onlyButton(outcome) || options.buttonWaitMs <= 0) return { ok: true, value: outcome };
  options.onPressButton?.();
  const deadline = options.now() + options.buttonWaitMs;
  const interrupted = (): boolean => options.interrupted?.aborted === true;
  while (onlyButton(outcome) && options.now() < deadline && !interrupted()) {
    await options.sleep(options.pollMs ?? 2000);
    if (interrupted()) break;
    r = await usb.selfTest();
    if (!r.ok) return r;
    outcome = judge(r.value, allow);
  }
  return { ok: true, value: outcome };
}
