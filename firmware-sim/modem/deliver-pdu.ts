// Turns a network SMS into the SMS-DELIVER PDU this modem shows (+CMT, +CMGR, +CMGL) and a network status
// report into its SMS-STATUS-REPORT PDU (+CDS), with the modem's SMSC in front.
//
// A part without a user data header is encoded by protocol/sms encodeDeliver (which splits a text too long
// for one SMS, as an SMSC would not, but a VirtualPhone may hand it one). A part WITH a header (one part of
// a long message, or a port-addressed one) keeps the sender's header elements unchanged: encodeDeliver's
// `udh` option writes exactly one part with them, as an SMSC copies TP-DCS and TP-UD from the SUBMIT into
// the DELIVER.

import { encodeDeliver, encodeStatusReport, isGsm7, type EncodedPdu, type SmsEncoding } from '../../protocol/sms/index.js';
import type { NetworkSms, SmsStatusReport } from '../network/terminal.js';

/** TP-ST for a status report: 0x00 delivered, 0x46 validity period expired (the SC gave up). */
export const TP_STATUS = { DELIVERED: 0x00, EXPIRED: 0x46 } as const;

/** The DELIVER PDU(s) of one network SMS. Throws SmsEncodeError only for content no SUBMIT could carry. */
export function deliverPdus(sms: NetworkSms, smsc: string): EncodedPdu[] {
  const c = sms.content;
  const body = c.encoding === '8bit' && c.data !== undefined ? c.data : c.text;
  const encoding: SmsEncoding = c.encoding ?? (typeof body !== 'string' ? '8bit' : isGsm7(body) ? 'gsm7' : 'ucs2');
  const udh = c.udh !== undefined && c.udh.length > 0 ? { udh: c.udh } : {};
  return encodeDeliver({ from: sms.from, text: body, sentAt: sms.submittedAt, smsc, encoding, statusReportIndication: sms.statusReportRequested, ...udh });
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
