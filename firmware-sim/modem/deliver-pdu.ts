// Turns a network SMS into the SMS-DELIVER PDU this modem shows (+CMT, +CMGR, +CMGL) and a network status
// report into its SMS-STATUS-REPORT PDU (+CDS), with the modem's SMSC in front.
//
// A part without a user data header is encoded by protocol/sms encodeDeliver (which splits a text too long
// for one SMS, as an SMSC would not, but a VirtualPhone may hand it one). A part WITH a header (one part of
// a long message, or a port-addressed one) must keep the sender's header elements unchanged, which
// encodeDeliver cannot be told; it is framed here from the same protocol/sms building blocks, exactly as an
// SMSC copies TP-DCS and TP-UD from the SUBMIT into the DELIVER.

import { encodeDeliver, encodeStatusReport, isGsm7, type EncodedPdu, type SmsEncoding } from '../../protocol/sms/index.js';
import { encodeAddress } from '../../protocol/sms/address.js';
import { encodeDcs } from '../../protocol/sms/dcs.js';
import { frame } from '../../protocol/sms/frame.js';
import { splitBody } from '../../protocol/sms/split.js';
import { encodeTimestamp } from '../../protocol/sms/timestamp.js';
import { buildUdh } from '../../protocol/sms/udh.js';
import { encodeUserData } from '../../protocol/sms/user-data.js';
import type { NetworkSms, SmsStatusReport } from '../network/terminal.js';

/** TP-ST for a status report: 0x00 delivered, 0x46 validity period expired (the SC gave up). */
export const TP_STATUS = { DELIVERED: 0x00, EXPIRED: 0x46 } as const;

/** The DELIVER PDU(s) of one network SMS. Throws SmsEncodeError only for content no SUBMIT could carry. */
export function deliverPdus(sms: NetworkSms, smsc: string): EncodedPdu[] {
  const c = sms.content;
  const body = c.encoding === '8bit' && c.data !== undefined ? c.data : c.text;
  const encoding: SmsEncoding = c.encoding ?? (typeof body !== 'string' ? '8bit' : isGsm7(body) ? 'gsm7' : 'ucs2');
  if (c.udh === undefined || c.udh.length === 0) {
    return encodeDeliver({ from: sms.from, text: body, sentAt: sms.submittedAt, smsc, encoding, statusReportIndication: sms.statusReportRequested });
  }
  const payload = splitBody(body, encoding, 8)[0] ?? new Uint8Array(0);
  const firstOctet = 0x04 | 0x40 | (sms.statusReportRequested ? 0x20 : 0); // TP-MMS (no more), TP-UDHI, TP-SRI
  return [
    frame(smsc, [
      firstOctet,
      ...encodeAddress(sms.from, true),
      0x00,
      encodeDcs(encoding),
      ...encodeTimestamp(sms.submittedAt, 0),
      ...encodeUserData(encoding, payload, buildUdh(c.udh)),
    ]),
  ];
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
