// Copies of a single-part SMS (no concatenation header, or total 1), such as an AML: the network delivers
// the same SMS twice (an SMSC that missed the delivery report retries it), and a modem's message is read
// again when the gateway stopped before deleting it. The reassembler catches copies of a concatenated
// message's parts; a single-part message completes at once, so without this memory a copy of an AML was a
// second `fix` on the caller's call.
//
// Identity of a copy: the same originator (type of number and address), the same service-centre time stamp
// (TP-SCTS: instant and zone), the same TP-PID and TP-DCS, and the same user data. The user data is compared
// as decoded text: for 8-bit data that is the octets one character per octet, for UCS2 the UTF-16 code units,
// for GSM 7-bit the characters of the septets (one text per septet string, but for 23.038's rule that an
// escape before an unassigned code reads as the base character: no phone sends that). The TP-SCTS is the
// SMSC's, set once when it took the message, so the network's copies carry the same one; the first octet
// (more-messages-to-send and status-report flags) and the SMSC field may differ between deliveries and are
// not compared. Two genuinely different SMS with the same text from one phone in the same second (an AML
// re-sent with the same fix within a second) are indistinguishable from a copy, and keeping one loses nothing.
//
// Memory: a message is remembered for `horizonMs` from its first copy's receipt (the reassembly horizon,
// 2 h by default, the same as the parts of an unfinished concatenated message), at most `max` messages
// (oldest forgotten first). The key is the decoded fields above (under 200 characters for a GSM 7-bit
// single part, about 330 for 8-bit data). Measured with AML texts (heap after gc, --expose-gc): 504 bytes a
// message, 10 MB at the bound; a lookup 1.5 us of CPU (key included). A TSR1 never comes here.
import type { SmsAddress } from '../../protocol/sms/address.js';
import type { SmsDeliver } from '../../protocol/sms/deliver.js';

/** Single-part messages remembered at most: far above the AML a force receives in 2 h (one per 999 call). */
export const MAX_SINGLE_PARTS_REMEMBERED = 20_000;

/** The fields of a single-part SMS that tell a copy (see the top of this file). */
export type SinglePart = Pick<SmsDeliver, 'from' | 'sentAt' | 'sentAtOffsetMinutes' | 'pid' | 'dcs' | 'text'> & { readonly fromAddress: Pick<SmsAddress, 'ton'> };

function copyKey(p: SinglePart): string {
  return `${p.fromAddress.ton}\u0000${p.from}\u0000${p.sentAt.getTime()}\u0000${p.sentAtOffsetMinutes}\u0000${p.pid}\u0000${p.dcs}\u0000${p.text}`;
}

/** A remembered message: its key and until when a copy is one (its first copy's receipt + horizon). */
interface Seen {
  readonly key: string;
  readonly until: number;
}

/** Single-part messages received within the horizon, to tell a copy from a new message. */
export class SinglePartCopies {
  private readonly byKey = new Map<string, Seen>();
  /**
   * The same entries in receipt order, a ring (oldest at `head`): expiry and the bound take the oldest. Not
   * the Map's own order: deleting a Map's oldest entry at every message leaves holes that each later
   * "oldest" lookup must skip (the cost the reassembler measured, protocol/sms/reassembler.ts).
   */
  private readonly ring: (Seen | undefined)[];
  private head = 0;
  private count = 0;

  constructor(
    readonly horizonMs: number,
    readonly max: number = MAX_SINGLE_PARTS_REMEMBERED,
  ) {
    if (!(horizonMs > 0) || !(Number.isInteger(max) && max >= 1)) throw new RangeError(`SinglePartCopies: horizonMs (${horizonMs}) must be > 0 and max (${max}) >= 1`);
    this.ring = new Array<Seen | undefined>(max).fill(undefined);
  }

  /**
   * True when `part`, received at `receivedAt`, is a copy of a message received less than `horizonMs`
   * before; otherwise remembers it and returns false. A copy does not extend its message's memory.
   */
  isCopy(part: SinglePart, receivedAt: number): boolean {
    // Receipt order is time order but for a receive time that went backwards: such an entry is forgotten
    // a little late, or (checked below) is no longer a copy's model after its own horizon.
    while (this.count > 0 && this.ring[this.head]!.until <= receivedAt) this.forgetOldest();
    const key = copyKey(part);
    const seen = this.byKey.get(key);
    if (seen !== undefined && seen.until > receivedAt) return true;
    if (this.count === this.max) this.forgetOldest();
    const entry: Seen = { key, until: receivedAt + this.horizonMs };
    this.byKey.set(key, entry);
    this.ring[(this.head + this.count) % this.max] = entry;
    this.count++;
    return false;
  }

  /** Messages remembered. */
  get size(): number {
    return this.byKey.size;
  }

  private forgetOldest(): void {
    const old = this.ring[this.head]!;
    if (this.byKey.get(old.key) === old) this.byKey.delete(old.key);
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.max;
    this.count--;
  }
}
