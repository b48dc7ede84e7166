import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  decodeAndVerifyReport,
  decodeReport,
  encodeReport,
  encodeReportSync,
  isGsm7Basic,
  MAX_WIRE_LENGTH,
  REPORT_EVENT_CODES,
  ReportEncodeError,
  smsPartsFor,
  verifyReport,
  verifyReportSync,
  WireReason,
  type ReportFields,
} from '../../../protocol/report/index.js';
import { FIELDS, GGA_NOFIX, independentMac, KEY, nodeHmac, OTHER_KEY, RMC_NOFIX } from './helpers.js';

// Computed once with node:crypto (see helpers.independentMac) and frozen here: a change in the signed
// text or the MAC construction breaks it.
const GOLDEN =
  'TSR1;h=TS-0001;n=1042;e=ALM;b=87;q=23;' +
  '$GPRMC,141935.00,A,5544.5902,N,00416.1286,W,0.4,87.0,170713,,,A*7F;' +
  '$GPGGA,141935.00,5544.5902,N,00416.1286,W,1,09,0.9,41.0,M,52.0,M,,*47;m=TyLlEC-3RoU';

describe('TSR1 encode / decode / verify', () => {
  it('encodes the golden report, MAC equal to node:crypto HMAC-SHA256 truncated to 8 bytes', async () => {
    const text = await encodeReport(FIELDS, KEY);
    expect(text).toBe(GOLDEN);
    expect(text.slice(text.indexOf(';m=') + 3)).toBe(independentMac(text.slice(0, text.indexOf(';m=')), KEY));
    expect(encodeReportSync(FIELDS, KEY, nodeHmac)).toBe(GOLDEN);
  });

  it('decodes every field, the raw sentences and the signed part', () => {
    const d = decodeReport(GOLDEN);
    expect(d).toEqual({
      ok: true,
      version: 1,
      ...FIELDS,
      signed: GOLDEN.slice(0, GOLDEN.indexOf(';m=')),
      mac: 'TyLlEC-3RoU',
    });
  });

  it('verifies with the right key (Web Crypto and injected node:crypto) and not with another', async () => {
    const d = decodeReport(GOLDEN);
    if (!d.ok) throw new Error(d.reason);
    expect(await verifyReport(d, KEY)).toBe(true);
    expect(verifyReportSync(d, KEY, nodeHmac)).toBe(true);
    expect(await verifyReport(d, OTHER_KEY)).toBe(false);
    expect(verifyReportSync(d, OTHER_KEY, nodeHmac)).toBe(false);
  });

  it('a single changed character anywhere in the signed part fails verification', async () => {
    for (const [from, to] of [['b=87', 'b=88'], ['n=1042', 'n=1043'], ['5544.5902', '5544.5903'], ['e=ALM', 'e=TST']] as const) {
      const d = decodeReport(GOLDEN.replace(from, to));
      if (!d.ok) throw new Error(`${from}: ${d.reason}`);
      expect(await verifyReport(d, KEY)).toBe(false);
    }
  });

  it('round-trips every event and the limits of every field', async () => {
    const cases: ReportFields[] = [
      ...REPORT_EVENT_CODES.map((event) => ({ ...FIELDS, event })),
      { ...FIELDS, handsetId: 'A', counter: 0, batteryPct: 0, csq: 0 },
      { ...FIELDS, handsetId: 'ABCDEFGHIJKLMNOP', counter: 4294967295, batteryPct: 100, csq: 99 },
      { ...FIELDS, csq: 31, rmc: RMC_NOFIX, gga: GGA_NOFIX },
    ];
    for (const f of cases) {
      const text = await encodeReport(f, KEY);
      const d = decodeReport(text);
      expect(d).toMatchObject({ ok: true, ...f });
      if (d.ok) expect(verifyReportSync(d, KEY, nodeHmac)).toBe(true);
    }
  });

  it('is GSM 7-bit safe and within the documented SMS budget', async () => {
    const noFix = await encodeReport({ ...FIELDS, rmc: RMC_NOFIX, gga: GGA_NOFIX }, KEY);
    expect(isGsm7Basic(GOLDEN)).toBe(true);
    expect(smsPartsFor(noFix.length)).toBe(1); // a no-fix report fits one SMS
    expect(GOLDEN.length).toBe(188);
    expect(smsPartsFor(GOLDEN.length)).toBe(2); // a report with a fix takes two parts
    const longest = await encodeReport(
      {
        ...FIELDS,
        handsetId: 'ABCDEFGHIJKLMNOP',
        counter: 4294967295,
        batteryPct: 100,
        rmc: '$GNRMC,' + '1'.repeat(100) + '*00',
        gga: '$GNGGA,' + '2'.repeat(100) + '*00',
      },
      KEY,
    );
    expect(longest.length).toBeLessThanOrEqual(MAX_WIRE_LENGTH);
    expect(smsPartsFor(longest.length)).toBe(2);
  });

  it('refuses to encode what no handset may send', async () => {
    const bad: [Partial<ReportFields>, string][] = [
      [{ batteryPct: 140 }, 'b'],
      [{ batteryPct: -1 }, 'b'],
      [{ csq: 45 }, 'q'],
      [{ counter: 2 ** 32 }, 'n'],
      [{ counter: 1.5 }, 'n'],
      [{ handsetId: 'ts-1' }, 'h'],
      [{ handsetId: 'A;n=1' }, ''],
      [{ rmc: '$GPRMC,1;2*00' }, ''],
      [{ gga: 'GPGGA,1*00' }, 'gga'],
    ];
    for (const [patch, field] of bad) {
      const err = await encodeReport({ ...FIELDS, ...patch }, KEY).catch((e: unknown) => e);
      expect(err, JSON.stringify(patch)).toBeInstanceOf(ReportEncodeError);
      if (field !== '') expect((err as ReportEncodeError).field, JSON.stringify(patch)).toBe(field);
    }
    await expect(encodeReport(FIELDS, new Uint8Array(31))).rejects.toThrow(RangeError);
  });
});

describe('decodeAndVerifyReport: one typed answer, key looked up by handset id', () => {
  const keys = (id: string) => (id === 'TS-0001' ? KEY : undefined);
  it('accepts a good report (Web Crypto and injected HMAC)', async () => {
    expect(await decodeAndVerifyReport(GOLDEN, keys)).toMatchObject({ ok: true, handsetId: 'TS-0001', counter: 1042 });
    expect(await decodeAndVerifyReport(GOLDEN, KEY, nodeHmac)).toMatchObject({ ok: true });
    expect(await decodeAndVerifyReport(GOLDEN, async () => KEY)).toMatchObject({ ok: true });
  });
  it('bad MAC, wrong key, unknown handset and malformed text are typed rejections', async () => {
    expect(await decodeAndVerifyReport(GOLDEN.replace('b=87', 'b=88'), keys)).toMatchObject({ ok: false, reason: WireReason.BAD_MAC });
    expect(await decodeAndVerifyReport(GOLDEN.replace('TyLlEC-3RoU', 'TyLlEC-3RoV'), keys)).toMatchObject({ ok: false, reason: WireReason.BAD_MAC });
    expect(await decodeAndVerifyReport(GOLDEN, OTHER_KEY)).toMatchObject({ ok: false, reason: WireReason.BAD_MAC });
    expect(await decodeAndVerifyReport(GOLDEN.replace('TS-0001', 'TS-0002'), keys)).toMatchObject({ ok: false, reason: WireReason.UNKNOWN_HANDSET });
    expect(await decodeAndVerifyReport(GOLDEN, new Uint8Array(8))).toMatchObject({ ok: false, reason: WireReason.BAD_MAC });
    expect(await decodeAndVerifyReport('TSR2;x', keys)).toMatchObject({ ok: false, reason: WireReason.WRONG_VERSION });
  });
});

describe('TSR1 rejections: one row per reason, never an exception', () => {
  const body = GOLDEN.slice(0, GOLDEN.indexOf(';m='));
  const rows: [string, string, string, string?][] = [
    ['chat SMS', 'Running late, back at 6', WireReason.NOT_MINE],
    ['AML SMS', 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50', WireReason.NOT_MINE],
    ['empty', '', WireReason.NOT_MINE],
    ['command, not report', 'TSC1;h=TS-0001;n=1;c=STOP;m=AAAAAAAAAAA', WireReason.NOT_MINE],
    ['lower-case tag', 'tsr1;h=TS-0001', WireReason.NOT_MINE],
    ['first part of the tag only', 'TS', WireReason.TRUNCATED],
    ['tag only', 'TSR1', WireReason.TRUNCATED],
    ['cut after the handset id', 'TSR1;h=TS-0001', WireReason.TRUNCATED],
    ['cut inside the RMC', GOLDEN.slice(0, 70), WireReason.TRUNCATED],
    ['cut before the MAC', body, WireReason.TRUNCATED],
    ['cut inside ";m="', body + ';m', WireReason.TRUNCATED],
    ['cut inside the MAC', GOLDEN.slice(0, -4), WireReason.TRUNCATED, 'm'],
    ['version 2', GOLDEN.replace('TSR1', 'TSR2'), WireReason.WRONG_VERSION],
    ['version 10', GOLDEN.replace('TSR1', 'TSR10'), WireReason.WRONG_VERSION],
    ['longer than two SMS parts', GOLDEN.replace('$GPRMC,', '$GPRMC,' + '0'.repeat(200)), WireReason.TOO_LONG],
    ['UCS2-only character', GOLDEN.replace('TS-0001', 'TS-000\u20ac'), WireReason.NOT_GSM7],
    ['extension-table character', GOLDEN.replace('$GPRMC,', '$GPRMC,{'), WireReason.NOT_GSM7],
    ['CR/LF left in', GOLDEN.replace(';$GPGGA', '\r\n;$GPGGA'), WireReason.BAD_FIELD, 'rmc'],
    ['lower-case handset id', GOLDEN.replace('TS-0001', 'ts-0001'), WireReason.BAD_FIELD, 'h'],
    ['17-character handset id', GOLDEN.replace('TS-0001', 'TS-00010000000000'), WireReason.BAD_FIELD, 'h'],
    ['fields out of order', GOLDEN.replace('h=TS-0001;n=1042', 'n=1042;h=TS-0001'), WireReason.BAD_FIELD, 'h'],
    ['counter with a sign', GOLDEN.replace('n=1042', 'n=-1042'), WireReason.BAD_FIELD, 'n'],
    ['counter with leading zero', GOLDEN.replace('n=1042', 'n=01042'), WireReason.BAD_FIELD, 'n'],
    ['counter 2^32', GOLDEN.replace('n=1042', 'n=4294967296'), WireReason.ABSURD_VALUE, 'n'],
    ['unknown event', GOLDEN.replace('e=ALM', 'e=SOS'), WireReason.BAD_FIELD, 'e'],
    ['battery 140', GOLDEN.replace('b=87', 'b=140'), WireReason.ABSURD_VALUE, 'b'],
    ['battery not a number', GOLDEN.replace('b=87', 'b=8x'), WireReason.BAD_FIELD, 'b'],
    ['CSQ 32', GOLDEN.replace('q=23', 'q=32'), WireReason.ABSURD_VALUE, 'q'],
    ['CSQ 98', GOLDEN.replace('q=23', 'q=98'), WireReason.ABSURD_VALUE, 'q'],
    ['missing field', GOLDEN.replace('q=23;', ''), WireReason.BAD_FIELD],
    ['extra field', GOLDEN.replace('q=23;', 'q=23;x=1;'), WireReason.BAD_FIELD],
    ['GGA where RMC belongs', GOLDEN.replace('$GPRMC', '$GPGGA'), WireReason.BAD_FIELD, 'rmc'],
    ['RMC without checksum', GOLDEN.replace(',A*7F', ',A'), WireReason.BAD_FIELD, 'rmc'],
    ['GGA without $', GOLDEN.replace('$GPGGA', 'GPGGA'), WireReason.BAD_FIELD, 'gga'],
    ['MAC with a bad character', GOLDEN.replace('m=TyLlEC-3RoU', 'm=TyLlEC-3Ro+'), WireReason.BAD_FIELD, 'm'],
    ['MAC too long', GOLDEN + 'A', WireReason.BAD_FIELD, 'm'],
    ['something after the MAC', GOLDEN + ';x=1', WireReason.BAD_FIELD, 'm'],
  ];

  it.each(rows.map(([name, text, reason, field]) => ({ name, text, reason, field })))('$name -> $reason', ({ text, reason, field }) => {
    const d = decodeReport(text);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.reason).toBe(reason);
    if (field !== undefined) expect(d.field).toBe(field);
    expect(d.detail.length).toBeGreaterThan(0);
  });

  it('every WireReason the decoder can give is in the table above (bad-mac and unknown-handset need a key)', () => {
    const seen = new Set(rows.map((r) => r[2]));
    for (const r of Object.values(WireReason)) {
      if (r !== WireReason.BAD_MAC && r !== WireReason.UNKNOWN_HANDSET) expect(seen, r).toContain(r);
    }
  });

  it('a trailing CR (23.038 padding) or CR/LF is not part of the message', async () => {
    for (const tail of ['\r', '\r\n', '\n']) {
      const d = decodeReport(GOLDEN + tail);
      expect(d).toMatchObject({ ok: true, mac: 'TyLlEC-3RoU' });
      if (d.ok) expect(await verifyReport(d, KEY)).toBe(true);
    }
  });

  it('two sentences run together (a damaged GPS line) are refused', () => {
    const damaged = '$GPGGA,030130$GPGLL,2638.1728,N,08011.3893,W,030131.000,A,A*41';
    expect(decodeReport(GOLDEN.replace(FIELDS.gga, damaged))).toMatchObject({ ok: false, reason: WireReason.BAD_FIELD, field: 'gga' });
  });

  it('a bad checksum value is carried, not refused (the MAC vouches for the text; protocol/nmea judges it)', () => {
    const d = decodeReport(GOLDEN.replace(',A*7F', ',A*00'));
    expect(d).toMatchObject({ ok: true, rmc: '$GPRMC,141935.00,A,5544.5902,N,00416.1286,W,0.4,87.0,170713,,,A*00' });
  });
});

describe('TSR1 with real receivers\' sentences (gpsd captures)', () => {
  const dir = path.resolve(import.meta.dirname, '../../../../shared/corpus/nmea/gpsd');
  const sentences = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'latin1').split(/\r?\n/))
    // Well-formed lines only: the captures also hold damaged ones on purpose (two sentences run together).
    .filter((l) => /^\$[A-Z]{2}(RMC|GGA),[^$*;`^~|\\{}[\]]*\*[0-9A-Fa-f]{2}$/.test(l) && l.length <= 110);
  const rmcs = sentences.filter((s) => s.slice(3, 6) === 'RMC');
  const ggas = sentences.filter((s) => s.slice(3, 6) === 'GGA');

  it('finds a real corpus', () => {
    expect(rmcs.length).toBeGreaterThan(1000);
    expect(ggas.length).toBeGreaterThan(1000);
  });

  it('every real RMC/GGA pair round-trips and verifies', () => {
    const n = Math.min(rmcs.length, ggas.length);
    let ok = 0;
    for (let i = 0; i < n; i++) {
      const text = encodeReportSync({ ...FIELDS, counter: i, rmc: rmcs[i] as string, gga: ggas[i] as string }, KEY, nodeHmac);
      const d = decodeReport(text);
      if (d.ok && d.rmc === rmcs[i] && d.gga === ggas[i] && verifyReportSync(d, KEY, nodeHmac)) ok++;
    }
    expect(ok).toBe(n);
  });
});
