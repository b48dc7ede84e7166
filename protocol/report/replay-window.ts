// The anti-replay window for one handset's counter (RFC 4303 / IPsec style): the highest counter seen and
// a 64-wide bitmap of which of the 64 counters ending at the highest have been seen, plus the MAC each of
// those reports carried, so that a network duplicate can be told from a reused counter.
//
// Outcomes, for a counter n whose report has ALREADY passed MAC verification (never feed an unverified
// report in: a forged n would push the window forward and lock out the real handset):
//
// | outcome     | when                                                          | what the gateway does           |
// |-------------|---------------------------------------------------------------|---------------------------------|
// | `fresh`     | n > highest, or n inside the window and not yet seen          | accepts (late reports are kept) |
// | `duplicate` | n inside the window, seen, same MAC (or MAC not remembered)   | drops, counts: SMS duplicated   |
// | `replay`    | n inside the window, seen, different MAC                      | drops, security event           |
// | `too-old`   | n <= highest - 64: below the window                           | drops, counts                   |
//
// A resent copy of a report already received is byte-identical, hence `duplicate`: it cannot be told
// from the network delivering an SMS twice, and both are harmless. `replay` means the key holder signed
// two different reports with one counter: a handset whose counter went back (flash restored, cloned
// handset) or a compromised key, and deserves a person's attention.
//
// State is plain JSON ({@link ReplayWindowState}) so that the gateway can store it with each accepted
// report and restore it at start-up.

/** Width of the window. */
export const REPLAY_WINDOW_SIZE = 64;

export const ReplayOutcome = {
  FRESH: 'fresh',
  DUPLICATE: 'duplicate',
  REPLAY: 'replay',
  TOO_OLD: 'too-old',
} as const;
export type ReplayOutcome = (typeof ReplayOutcome)[keyof typeof ReplayOutcome];

/**
 * Serialised window. `highest` is -1 before the first report. `bitmap` is 16 lower-case hex digits, bit i
 * (from the least significant) set when counter `highest - i` has been seen. `macs[i]` is the MAC seen for
 * `highest - i`, or '' when not seen or not known; it may be shorter than 64 (trailing unknowns dropped).
 */
export interface ReplayWindowState {
  readonly highest: number;
  readonly bitmap: string;
  readonly macs: readonly string[];
}

const MAX_COUNTER = 0xffff_ffff;
const MASK = (1n << BigInt(REPLAY_WINDOW_SIZE)) - 1n;

/** Checks a stored state; null when it is not a valid window (the caller decides what that means). */
export function parseReplayWindowState(value: unknown): ReplayWindowState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const { highest, bitmap, macs } = v;
  if (typeof highest !== 'number' || !Number.isInteger(highest) || highest < -1 || highest > MAX_COUNTER) return null;
  if (typeof bitmap !== 'string' || !/^[0-9a-f]{16}$/.test(bitmap)) return null;
  const m = macs === undefined ? [] : macs;
  if (!Array.isArray(m) || m.length > REPLAY_WINDOW_SIZE || !m.every((x) => typeof x === 'string' && x.length <= 16)) return null;
  if (highest === -1 && bitmap !== '0000000000000000') return null;
  return { highest, bitmap, macs: m as string[] };
}

/** One handset's (or, on the handset, the gateway's) anti-replay window. */
export class ReplayWindow {
  private top: number;
  private bits: bigint;
  private macs: string[];

  /** Restores a window; throws RangeError for a malformed state (use parseReplayWindowState to check first). */
  constructor(state?: ReplayWindowState) {
    if (state === undefined) {
      this.top = -1;
      this.bits = 0n;
      this.macs = [];
      return;
    }
    const s = parseReplayWindowState(state);
    if (s === null) throw new RangeError('malformed replay window state');
    this.top = s.highest;
    this.bits = BigInt('0x' + s.bitmap);
    this.macs = s.macs.slice();
  }

  /** The highest counter accepted so far, -1 before the first. */
  get highest(): number {
    return this.top;
  }

  /** What {@link accept} would answer for counter `n` (and its MAC), without changing the window. */
  check(n: number, mac?: string): ReplayOutcome {
    if (!Number.isInteger(n) || n < 0 || n > MAX_COUNTER) return ReplayOutcome.TOO_OLD;
    if (n > this.top) return ReplayOutcome.FRESH;
    const age = this.top - n;
    if (age >= REPLAY_WINDOW_SIZE) return ReplayOutcome.TOO_OLD;
    if (((this.bits >> BigInt(age)) & 1n) === 0n) return ReplayOutcome.FRESH;
    const seen = this.macs[age] ?? '';
    return mac === undefined || seen === '' || seen === mac ? ReplayOutcome.DUPLICATE : ReplayOutcome.REPLAY;
  }

  /**
   * Classifies counter `n` and, when it is fresh, records it. Only for reports whose MAC verified.
   * A counter that is not an integer in 0..2^32-1 is `too-old` (the decoder never produces one).
   */
  accept(n: number, mac?: string): ReplayOutcome {
    const outcome = this.check(n, mac);
    if (outcome !== ReplayOutcome.FRESH) return outcome;
    if (n > this.top) {
      const shift = n - this.top;
      if (shift >= REPLAY_WINDOW_SIZE) {
        this.bits = 1n;
        this.macs = [];
      } else {
        this.bits = ((this.bits << BigInt(shift)) | 1n) & MASK;
        this.macs = new Array<string>(shift).fill('').concat(this.macs).slice(0, REPLAY_WINDOW_SIZE);
      }
      this.top = n;
      this.macs[0] = mac ?? '';
    } else {
      const age = this.top - n;
      this.bits |= 1n << BigInt(age);
      while (this.macs.length < age) this.macs.push('');
      this.macs[age] = mac ?? '';
    }
    while (this.macs.length > 0 && this.macs[this.macs.length - 1] === '') this.macs.pop();
    return outcome;
  }

  /** The state to store. */
  toJSON(): ReplayWindowState {
    return { highest: this.top, bitmap: this.bits.toString(16).padStart(16, '0'), macs: this.macs.slice() };
  }
}
