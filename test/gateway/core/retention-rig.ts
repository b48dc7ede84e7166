// What the retention clock tests share (retention-clock*.test.ts): reading the fixes and the metric, an alarm
// at the gateway's wall clock, and running the gateway's timers.
import { deliver, report, type Rig } from './harness.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** The stored fix events: how many, and how many of them retention has redacted. */
export async function fixes(rig: Rig): Promise<{ stored: number; redacted: number }> {
  const all = (await rig.all()).filter((e) => e.event.type === 'fix');
  return { stored: all.length, redacted: all.filter((e) => e.redacted).length };
}

/** An alarm from the handset with counter `n`, its report time and SMS at the gateway's wall clock. */
export async function alarm(rig: Rig, n: number): Promise<void> {
  await rig.sms(deliver(report({ counter: n, event: 'ALM' }, undefined, rig.clock.now())));
}

/** Lets the gateway's timers (minute checks, the daily purge) run for `ms` of monotonic time. */
export async function run(rig: Rig, ms: number): Promise<void> {
  rig.clock.advance(ms);
  await rig.core.idle();
}

/** tecsos_retention_clock_held as /metrics shows it ('0' or '1'). */
export const held = (rig: Rig): string | undefined => rig.metrics.registry.render().match(/^tecsos_retention_clock_held (\d)$/m)?.[1];
