// Hand-written bad (and borderline) input: each row is fed to a fresh decoder and must land in exactly the
// stats counter a user of `stats` would expect, with the named reason, and never throw.
import { describe, expect, it } from 'vitest';
import { decodeSentence, nmeaSentence, NmeaDecoder, NmeaReject, statOf, type NmeaRejectReason, type NmeaStats } from '../../../protocol/nmea/index.js';

/** A sentence with a correct checksum around arbitrary data fields, without CR/LF. */
const checked = (data: string): string => nmeaSentence(data).slice(0, -2);
const body = (s: string): string => s.slice(1, s.indexOf('*'));
const GGA = checked('GPGGA,123519.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,');

type Row = { name: string; input: string | Uint8Array; expect: Partial<NmeaStats>; reasons?: NmeaRejectReason[] };

const R = NmeaReject;
const ROWS: Row[] = [
  { name: 'a valid GGA', input: `${GGA}\r\n`, expect: { sentences: 1 } },
  { name: 'LF only ends a sentence', input: `${GGA}\n`, expect: { sentences: 1 } },
  { name: 'CR only ends a sentence', input: `${GGA}\r`, expect: { sentences: 1 } },
  { name: 'lower-case checksum digits', input: `${checked('GPRMC,205150.00,V,,,,,,,,,,,V').replace(/\*(..)$/, (_, h: string) => `*${h.toLowerCase()}`)}\r\n`, expect: { sentences: 1 } },
  { name: 'blank lines', input: '\r\n\r\n\n\r', expect: {} },
  { name: 'missing checksum', input: `$${body(GGA)}\r\n`, expect: { missingChecksum: 1 }, reasons: [R.MISSING_CHECKSUM] },
  { name: 'wrong checksum', input: `${GGA.slice(0, -2)}00\r\n`, expect: { badChecksum: 1 }, reasons: [R.BAD_CHECKSUM] },
  { name: 'checksum not hex', input: `${GGA.slice(0, -2)}G5\r\n`, expect: { badChecksum: 1 }, reasons: [R.BAD_CHECKSUM] },
  { name: 'checksum cut to one digit', input: `${GGA.slice(0, -1)}\r\n`, expect: { badChecksum: 1 }, reasons: [R.BAD_CHECKSUM] },
  { name: 'star without digits', input: `${GGA.slice(0, -2)}\r\n`, expect: { badChecksum: 1 }, reasons: [R.BAD_CHECKSUM] },
  { name: 'junk after *hh', input: `${GGA}xyz\r\n`, expect: { framing: 1 }, reasons: [R.JUNK_AFTER_CHECKSUM] },
  { name: 'one digit changed in the latitude', input: `${GGA.replace('4807.038', '4807.039')}\r\n`, expect: { badChecksum: 1 } },
  { name: 'noise line', input: 'garbage here\r\n', expect: { framing: 1 }, reasons: [R.NOISE] },
  { name: 'noise then a sentence on the same line', input: `xx${GGA}\r\n`, expect: { framing: 1, sentences: 1 } },
  { name: '$ inside a line resynchronises', input: `$GPGGA,1235${GGA}\r\n`, expect: { framing: 1, sentences: 1 }, reasons: [R.UNTERMINATED] },
  { name: 'sentence cut by the end of input is held, then completed', input: GGA, expect: {} },
  { name: 'binary byte inside a sentence', input: Uint8Array.from([...Buffer.from(GGA.slice(0, 20)), 0x00, ...Buffer.from(GGA.slice(20)), 13, 10]), expect: { framing: 1 }, reasons: [R.BINARY] },
  { name: 'UBX binary packet between sentences', input: Uint8Array.from([0xb5, 0x62, 0x01, 0x07, 0x5c, 0x00, 0xff, 0x24, 0x0d, ...Buffer.from(`${GGA}\r\n`)]), expect: { framing: 1, missingChecksum: 1, sentences: 1 } }, // its 0x24 byte starts a '$' line cut by its 0x0d
  { name: 'line of 121 characters', input: `${checked(`GPXYZ,${'A'.repeat(121 - 10)}`)}\r\n`, expect: { framing: 1 }, reasons: [R.TOO_LONG] },
  { name: 'line of 120 characters is accepted (then unknown type)', input: `${checked(`GPXYZ,${'A'.repeat(120 - 10)}`)}\r\n`, expect: { unknown: 1 }, reasons: [R.UNKNOWN_TYPE] },
  { name: 'unknown sentence type', input: `${checked('GPXTE,A,A,0.67,L,N')}\r\n`, expect: { unknown: 1 }, reasons: [R.UNKNOWN_TYPE] },
  { name: 'proprietary sentence', input: `${checked('PGRME,15.0,M,45.0,M,25.0,M')}\r\n`, expect: { unknown: 1 } },
  { name: 'AIS !AIVDM sentence', input: '!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r\n', expect: { unknown: 1 }, reasons: [R.UNKNOWN_TYPE] },
  { name: 'GGA cut after the time (valid checksum)', input: `${checked('GPGGA,123519')}\r\n`, expect: { framing: 1 }, reasons: [R.TOO_FEW_FIELDS] },
  { name: 'letter inside the latitude', input: `${checked(body(GGA).replace('4807.038', '48a7.038'))}\r\n`, expect: { framing: 1 }, reasons: [R.BAD_FIELD] },
  { name: 'latitude without N/S', input: `${checked(body(GGA).replace('4807.038,N', '4807.038,'))}\r\n`, expect: { framing: 1 }, reasons: [R.BAD_FIELD] },
  { name: 'latitude minutes >= 60', input: `${checked(body(GGA).replace('4807.038', '4860.038'))}\r\n`, expect: { framing: 1 }, reasons: [R.BAD_FIELD] },
  { name: 'hour 25', input: `${checked(body(GGA).replace('123519.00', '253519.00'))}\r\n`, expect: { framing: 1 }, reasons: [R.BAD_FIELD] },
  { name: 'RMC status X', input: `${checked('GPRMC,123519,X,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W')}\r\n`, expect: { framing: 1 }, reasons: [R.BAD_FIELD] },
  { name: 'RMC date 32/13', input: `${checked('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,321394,003.1,W')}\r\n`, expect: { framing: 1 }, reasons: [R.BAD_FIELD] },
  { name: 'GSV with five satellites', input: `${checked('GPGSV,1,1,05,01,02,003,04,05,06,007,08,09,10,011,12,13,14,015,16,17,18,019,20')}\r\n`, expect: { framing: 1 }, reasons: [R.BAD_FIELD] },
  { name: 'lone $ and !', input: '$\r\n!\r\n', expect: { missingChecksum: 2 } },
];

describe('bad input table', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const d = new NmeaDecoder();
      const reasons: NmeaRejectReason[] = [];
      d.onReject = (r) => reasons.push(r);
      const bytes = typeof row.input === 'string' ? Buffer.from(row.input, 'latin1') : row.input;
      const n = d.push(bytes);
      expect(d.stats).toEqual({ sentences: 0, badChecksum: 0, missingChecksum: 0, framing: 0, unknown: 0, ...row.expect });
      expect(n).toBe(row.expect.sentences ?? 0);
      if (row.reasons) expect(reasons).toEqual(row.reasons);
      // The same bytes cut into pieces of every size from 1 to 9 land in the same counters.
      for (let size = 1; size < 10; size++) {
        const c = new NmeaDecoder();
        for (let i = 0; i < bytes.length; i += size) c.push(bytes, i, Math.min(bytes.length, i + size));
        expect(c.stats, `pieces of ${size}`).toEqual(d.stats);
      }
    });
  }

  it('a sentence held at the end of one push completes with the next', () => {
    const d = new NmeaDecoder();
    expect(d.push(Buffer.from(GGA))).toBe(0);
    expect(d.push(Buffer.from('\r\n'))).toBe(1);
  });

  it('honours start and end', () => {
    const d = new NmeaDecoder();
    const bytes = Buffer.from(`junk${GGA}\r\njunk`);
    expect(d.push(bytes, 4, bytes.length - 4)).toBe(1);
    expect(d.stats.framing).toBe(0);
  });
});

describe('stats and reasons', () => {
  it('every rejection is counted in the counter statOf() names', () => {
    for (const reason of Object.values(NmeaReject)) {
      const d = new NmeaDecoder();
      const seen: NmeaRejectReason[] = [];
      d.onReject = (r) => seen.push(r);
      // The table above reaches each reason through push(); this calls the private reject() directly to check
      // that its fast named counters agree with the documented mapping statOf() for every reason.
      (d as unknown as { reject(r: NmeaRejectReason): void }).reject(reason);
      expect(seen).toEqual([reason]);
      expect(d.stats[statOf(reason)], String(reason)).toBe(1);
      expect(Object.values(d.stats).reduce((a, b) => a + b, 0)).toBe(1);
    }
  });
});

describe('decodeSentence', () => {
  it('decodes one sentence with or without CR/LF, and refuses anything else with a reason', () => {
    const gga = checked('GPGGA,123519.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,');
    expect(decodeSentence(gga).ok).toBe(true);
    expect(decodeSentence(`${gga}\r\n`).ok).toBe(true);
    expect(decodeSentence(`${gga}\r\n${gga}`)).toEqual({ ok: false, reason: NmeaReject.NOISE });
    expect(decodeSentence('')).toEqual({ ok: false, reason: NmeaReject.NOISE });
    expect(decodeSentence(gga.replace('4807', '4808'))).toEqual({ ok: false, reason: NmeaReject.BAD_CHECKSUM });
    expect(decodeSentence(`${gga.slice(0, 10)}\u20ac${gga.slice(10)}`)).toEqual({ ok: false, reason: NmeaReject.BINARY });
  });
});
