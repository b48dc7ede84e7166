// User data header (3GPP TS 23.040 9.2.3.24), present when TP-UDHI is set:
//   05 00 03 2A 02 01        UDHL 5; IEI 00 (concatenation, 8-bit reference) length 3: ref 0x2A, 2 parts, part 1
//   06 08 04 12 34 02 01     UDHL 6; IEI 08 (concatenation, 16-bit reference) length 4: ref 0x1234, 2 parts, part 1
// The header is a sequence of information elements (IEI, length, data) that must fill UDHL exactly.
// A concatenation element with total 0 or a sequence outside 1..total is refused as corrupt (23.040 says
// "ignore the element", which would turn one part into what looks like a whole message). When an element
// repeats, the last one counts (23.040 9.2.3.24).

import { SmsReason, ok, reject, type SmsResult } from './result.js';

/** IEI of the concatenation element with an 8-bit reference. */
export const IEI_CONCAT_8 = 0x00;
/** IEI of the concatenation element with a 16-bit reference. */
export const IEI_CONCAT_16 = 0x08;

/** One information element, as received. */
export interface UdhElement {
  readonly iei: number;
  readonly data: Uint8Array;
}

/**
 * Where this part sits in a concatenated message. Whether the reference was 8 or 16 bits shows in the
 * header elements (`udh`: IEI 0x00 or 0x08).
 */
export interface Concat {
  /** Reference number shared by all parts of one message. */
  readonly ref: number;
  /** Number of parts, 1..255. */
  readonly total: number;
  /** This part's number, 1..total. */
  readonly seq: number;
}

/** A parsed header. */
export interface Udh {
  readonly elements: readonly UdhElement[];
  readonly concat: Concat | undefined;
  /** Octets the header takes, UDHL octet included. */
  readonly octets: number;
}

/** Parses a header at the start of `ud` (the caller knows TP-UDHI is set and `ud` holds the whole UD). */
export function parseUdh(ud: Uint8Array): SmsResult<Udh> {
  if (ud.length < 1) return reject(SmsReason.BadUdh, 'TP-UDHI set but no header length');
  const udhl = ud[0] as number;
  if (udhl + 1 > ud.length) return reject(SmsReason.BadUdh, `UDHL ${udhl} exceeds the ${ud.length - 1} user data octets`);
  const elements: UdhElement[] = [];
  let concat: Concat | undefined;
  let i = 1;
  while (i < udhl + 1) {
    if (i + 2 > udhl + 1) return reject(SmsReason.BadUdh, `element at header octet ${i} has no length`);
    const iei = ud[i] as number;
    const len = ud[i + 1] as number;
    if (i + 2 + len > udhl + 1) return reject(SmsReason.BadUdh, `element ${iei} length ${len} runs past UDHL ${udhl}`);
    const data = ud.slice(i + 2, i + 2 + len);
    elements.push({ iei, data });
    if (iei === IEI_CONCAT_8 || iei === IEI_CONCAT_16) {
      const c = parseConcat(iei, data);
      if (!c.ok) return c;
      concat = c.value;
    }
    i += 2 + len;
  }
  return ok({ elements, concat, octets: udhl + 1 });
}

function parseConcat(iei: number, d: Uint8Array): SmsResult<Concat> {
  const wide = iei === IEI_CONCAT_16;
  if (d.length !== (wide ? 4 : 3)) return reject(SmsReason.BadConcat, `concatenation element ${iei} has length ${d.length}`);
  const ref = wide ? ((d[0] as number) << 8) | (d[1] as number) : (d[0] as number);
  const total = d[wide ? 2 : 1] as number;
  const seq = d[wide ? 3 : 2] as number;
  if (total === 0 || seq === 0 || seq > total) return reject(SmsReason.BadConcat, `part ${seq} of ${total}`);
  return ok({ ref, total, seq });
}

/** Header octets (UDHL first) for a list of elements. */
export function buildUdh(elements: readonly UdhElement[]): number[] {
  const body: number[] = [];
  for (const e of elements) body.push(e.iei, e.data.length, ...e.data);
  return [body.length, ...body];
}

/** The concatenation element for part `seq` of `total`. */
export function concatElement(ref: number, total: number, seq: number, refBits: 8 | 16): UdhElement {
  return refBits === 16
    ? { iei: IEI_CONCAT_16, data: Uint8Array.of(ref >> 8, ref & 0xff, total, seq) }
    : { iei: IEI_CONCAT_8, data: Uint8Array.of(ref, total, seq) };
}
