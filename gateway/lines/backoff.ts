// How long a line waits before opening its port again after a fault. Doubling from `minMs` to `maxMs`, with
// "equal jitter" (half the step fixed, half random) so that a bank of lines behind one device server that
// rebooted does not reconnect in lock-step, yet no wait is ever shorter than half the step.
//
//   attempt 0: 250..500 ms, 1: 500..1000, 2: 1..2 s, ... from attempt 6 on: 15..30 s (defaults)

import type { Random } from '../../protocol/time/random.js';

/** Backoff bounds in ms. */
export interface BackoffPolicy {
  readonly minMs: number;
  readonly maxMs: number;
}

/** 0.5 s doubling to 30 s. */
export const DEFAULT_BACKOFF: BackoffPolicy = { minMs: 500, maxMs: 30_000 };

/** The wait before reconnect attempt `attempt` (0 = the first after a fault), in whole ms. */
export function backoffDelay(attempt: number, random: Random, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(0, Math.trunc(attempt)), 30);
  const step = Math.min(policy.maxMs, policy.minMs * 2 ** exponent);
  return Math.round(step / 2 + (random.next() * step) / 2);
}
