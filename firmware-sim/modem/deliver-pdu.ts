// Turns a network SMS into the SMS-DELIVER PDU this modem shows (+CMT, +CMGR, +CMGL) and a network status
// report into its SMS-STATUS-REPORT PDU (+CDS), with the modem's SMSC in front.
//
// A single message is encoded by protocol/sms encodeDeliver. One PART of a long message must keep its own
// concatenation header (reference, total, sequence of the sender's SUBMIT), which encodeDeliver cannot be
// told; it is framed here from the same protocol/sms building blocks, exactly as an SMSC copies TP-DCS and
// TP-UD from the SUBMIT into the DELIVER.

import { encodeDeliver, encodeStatusReport, isGsm7, type EncodedPdu, type SmsEncoding } from '../../protocol/sms/index.js';
import { encodeAddress } from '../../protocol/sms/address.js';
import { encodeDcs } from '../../protocol/sms/dcs.js';
import { frame } from '../../protocol/sms/frame.js';
import { splitBody } from '../../protocol/sms/split.js';
import { encodeTimestamp } from '../../protocol/sms/timestamp.js';
import { buildUdh, concatElement } from '../../protocol/sms/udh.js';
import { encodeUserData } from '../../protocol/sms/user-data.js';
import type { NetworkSms, SmsStatusReport } from '../network/terminal.js';

/** TP-ST for a status report: 0x00 delivered, 0x46 validity period expired (the SC gave up). */
export const TP_STATUS = { DELIVERED: 0x00, EXPIRED: 0x46 } as const;

/** The DELIVER PDU of one network SMS. Throws SmsEncodeError only for content no SUBMIT could carry. */
export function deliverPdu(sms: NetworkSms, smsc: string): EncodedPdu {
  const c = sms.content;
  const body = c.encoding === '8bit' && c.data !== undefined ? c.data : c.text;
  const encoding: SmsEncoding = c.encoding ?? (isGsm7(c.text) ? 'gsm7' : 'ucs2');
  if (c.concat === undefined) {
    const parts = encodeDeliver({ from: sms.from, text: body, sentAt: sms.submittedAt, smsc, encoding, statusReportIndication: sms.statusReportRequested });
    if (parts.length === 1) return parts[0] as EncodedPdu;
  }
  const concat = c.concat ?? { ref: sms.id & 0xff, total: 1, seq: 1, refBits: 8 as const };
  const payload = splitBody(body, encoding, concat.refBits)[0] ?? new Uint8Array(0);
  const udh = buildUdh([concatElement(concat.ref, concat.total, concat.seq, concat.refBits)]);
  const firstOctet = 0x04 | 0x40 | (sms.statusReportRequested ? 0x20 : 0); // MMS (no more), UDHI, SRI
  return frame(smsc, [
    firstOctet,
    ...encodeAddress(sms.from, true),
    0x00,
    encodeDcs(encoding),
    ...encodeTimestamp(sms.submittedAt, 0),
    ...encodeUserData(encoding, payload, udh),
  ]);
}

/** The STATUS-REPORT PDU of a network delivery report. */
export function statusReportPdu(report: SmsStatusReport, smsc: string): EncodedPdu {
  return encodeStatusReport({
    messageReference: report.messageReference,
    recipient: report.recipient,
    serviceCentreAt: report.submittedAt,
    dischargeAt: report.dischargedAt,
    status: report.delivered ? TP_STATUS.DELIVERED : TP_STATUS.EXPIRED,
    smsc,
  });
}
