// protocol/sms: 3GPP TS 23.040 / 23.038 SMS PDUs (docs/sms.md).
//
// Two decoding styles, one behaviour: `tryDecodeX(hex)` never throws and returns `{ ok: true, value }` or
// `{ ok: false, kind, reason, detail }`; `decodeX(hex)` returns the value or throws SmsDecodeError with the
// same reason. Code that reads PDUs from the network (the gateway) uses the `try` form. Encoders throw
// SmsEncodeError on input the caller controls (a bad number, an over-long text, an option out of range).

import { unframe, type DecodeOptions } from './frame.js';
import { decodeDeliverFrame, tryDecodeDeliver, type SmsDeliver } from './deliver.js';
import { decodeStatusReportFrame, tryDecodeStatusReport, type SmsStatusReport } from './status-report.js';
import { tryDecodeSubmit, type SmsSubmit } from './submit.js';
import { unwrap, type SmsResult } from './result.js';

export { encodeSubmit, tryDecodeSubmit, type SubmitOptions, type SmsSubmit } from './submit.js';
export { encodeDeliver, tryDecodeDeliver, type DeliverInput, type SmsDeliver } from './deliver.js';
export {
  encodeStatusReport,
  tryDecodeStatusReport,
  deliveryOutcome,
  type DeliveryOutcome,
  type SmsStatusReport,
  type StatusReportInput,
} from './status-report.js';
export type { DecodeOptions, EncodedPdu } from './frame.js';
export type { BodyOptions, ConcatOption } from './body.js';
export type { SmsAddress, AddressType } from './address.js';
export type { SmsEncoding, DataCoding } from './dcs.js';
export { decodeDcs } from './dcs.js';
export type { Concat, UdhElement } from './udh.js';
export { IEI_CONCAT_8, IEI_CONCAT_16 } from './udh.js';
export { IEI_NATIONAL_SINGLE_SHIFT, IEI_NATIONAL_LOCKING_SHIFT } from './national-language.js';
export type { Validity } from './validity.js';
export { isGsm7, gsm7Length } from './gsm7-alphabet.js';
export { partCapacity } from './split.js';
export {
  SmsReason,
  SmsEncodeReason,
  SmsDecodeError,
  SmsEncodeError,
  type SmsRejection,
  type SmsResult,
} from './result.js';
export { SmsDecodeCounters } from './counters.js';
export {
  Reassembler,
  type ReassemblerOptions,
  type ReassemblyPart,
  type ReassembledMessage,
  type IncompleteMessage,
  type AddOutcome,
  type ReassemblerStats,
} from './reassembler.js';

/** Decodes an SMS-DELIVER; throws {@link SmsDecodeError} (reason, kind) when it is not one or is corrupt. */
export function decodeDeliver(hex: string, options?: DecodeOptions): SmsDeliver {
  return unwrap(tryDecodeDeliver(hex, options));
}

/** Decodes an SMS-SUBMIT; throws {@link SmsDecodeError} when it is not one or is corrupt. */
export function decodeSubmit(hex: string, options?: DecodeOptions): SmsSubmit {
  return unwrap(tryDecodeSubmit(hex, options));
}

/** Decodes an SMS-STATUS-REPORT; throws {@link SmsDecodeError} when it is not one or is corrupt. */
export function decodeStatusReport(hex: string, options?: DecodeOptions): SmsStatusReport {
  return unwrap(tryDecodeStatusReport(hex, options));
}

/**
 * What a mobile can receive (+CMT, +CDS, +CMGR of a received message): a DELIVER or a STATUS-REPORT,
 * told apart by TP-MTI. A SUBMIT (TP-MTI 01) is "not mine". Never throws.
 */
export function tryDecodeIncoming(hex: string, options: DecodeOptions = {}): SmsResult<SmsDeliver | SmsStatusReport> {
  const f = unframe(hex, options);
  if (!f.ok) return f;
  const mti = (f.value.bytes[f.value.start] as number) & 3;
  return mti === 2 ? decodeStatusReportFrame(f.value) : decodeDeliverFrame(f.value);
}
