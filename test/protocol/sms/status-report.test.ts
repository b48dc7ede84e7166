import { describe, expect, it } from 'vitest';
import { decodeStatusReport, deliveryOutcome, encodeStatusReport, tryDecodeStatusReport } from '../../../protocol/sms/index.js';
import { STATUS_VECTORS } from '../../fixtures/sms/published-vectors.js';

describe('SMS-STATUS-REPORT', () => {
  it.each(STATUS_VECTORS)('python-gsmmodem: $pdu', (v) => {
    const r = decodeStatusReport(v.pdu);
    expect(r).toMatchObject({
      type: 'status-report',
      messageReference: v.messageReference,
      recipient: v.recipient,
      status: v.status,
      outcome: 'delivered',
      qualifier: 'submit',
      text: '',
    });
    expect(r.serviceCentreAt.toISOString()).toBe(v.serviceCentreAt);
    expect(r.dischargeAt.toISOString()).toBe(v.dischargeAt);
  });

  it('decodes a real network status report whose TP-SCTS zone digit is not BCD (python-gsmmodem issue 15)', () => {
    // SCTS zone C2 (units digit 12), TP-DT zone 82 (+07:00): the SC (Indonesia) wrote one of them wrong.
    const r = decodeStatusReport('0006230E9126983575169498610103409544C26101034095448200');
    expect(r).toMatchObject({ messageReference: 0x23, recipient: '+62895357614989', status: 0, outcome: 'delivered' });
    expect(r.dischargeAt.toISOString()).toBe('2016-10-29T21:59:44.000Z');
    expect(r.serviceCentreAt.toISOString()).toBe('2016-10-29T20:59:44.000Z');
  });

  it('encode -> decode, with a zone and a failure status', () => {
    const p = encodeStatusReport({
      messageReference: 42,
      recipient: '+447700900123',
      serviceCentreAt: new Date('2026-07-23T12:14:05Z'),
      dischargeAt: new Date('2026-07-23T12:20:00Z'),
      status: 0x46,
      offsetMinutes: 60,
      smsc: '+447785016005',
    });
    expect(p.tpduLength).toBe(p.pdu.length / 2 - 8);
    const r = decodeStatusReport(p.pdu, { tpduLength: p.tpduLength });
    expect(r).toMatchObject({ messageReference: 42, recipient: '+447700900123', status: 0x46, outcome: 'failed', smsc: '+447785016005' });
    expect(r.dischargeAt.toISOString()).toBe('2026-07-23T12:20:00.000Z');
  });

  it('optional TP-PI with PID, DCS and user data; what TP-PI announces must be there', () => {
    const base = STATUS_VECTORS[0].pdu;
    expect(decodeStatusReport(base + '07' + '00' + '00' + '05E8329BFD06')).toMatchObject({ pid: 0, dcs: 0, encoding: 'gsm7', text: 'hello' });
    expect(decodeStatusReport(base + '01' + '7F')).toMatchObject({ pid: 0x7f, dcs: undefined, text: '' });
    expect(tryDecodeStatusReport(base + '07' + '00' + '00')).toMatchObject({ ok: false, reason: 'truncated' });
    expect(tryDecodeStatusReport(base + '07' + '00' + '00' + '05E8329BFD')).toMatchObject({ ok: false, reason: 'truncated' });
    expect(tryDecodeStatusReport(base + '03')).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('ignores a TP-PI with a reserved bit set, and what follows it (SCs that mean "nothing follows")', () => {
    const base = STATUS_VECTORS[0].pdu;
    const plain = decodeStatusReport(base);
    for (const pi of ['7F', '78', '0F', 'FF']) {
      const r = decodeStatusReport(base + pi);
      expect(r).toMatchObject({ status: plain.status, recipient: plain.recipient, pid: undefined, dcs: undefined, encoding: undefined, text: '' });
    }
    expect(decodeStatusReport(base + '4F' + '0000' + '05E8329BFD06')).toMatchObject({ text: '', pid: undefined });
  });

  it('refuses time stamps it cannot write (before 1990)', () => {
    expect(() => encodeStatusReport({ messageReference: 1, recipient: '+447700900123', serviceCentreAt: 0, dischargeAt: 0 })).toThrow(/1990/);
  });

  it('outcomes by TP-ST range', () => {
    expect([0x00, 0x02, 0x20, 0x30, 0x41, 0x62, 0x80].map(deliveryOutcome)).toEqual([
      'delivered',
      'delivered',
      'pending',
      'pending',
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('rejects a DELIVER (not mine), a missing TP-ST, and a stray octet', () => {
    const good = STATUS_VECTORS[0].pdu;
    expect(tryDecodeStatusReport('0004' + good.slice(4))).toMatchObject({ ok: false, kind: 'not-mine' });
    expect(tryDecodeStatusReport(good.slice(0, -2))).toMatchObject({ ok: false, reason: 'truncated' });
    // One octet more is read as TP-PI 00 (nothing follows): a valid, identical report. Two are not.
    expect(decodeStatusReport(good + '00').status).toBe(0);
    expect(tryDecodeStatusReport(good + '0000')).toMatchObject({ ok: false, reason: 'trailing-bytes' });
  });
});
