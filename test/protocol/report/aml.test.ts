import { describe, expect, it } from 'vitest';
import { AmlReason, encodeAml, ML_TOLERANCE, parseAml, parseAmlData } from '../../../protocol/report/index.js';

// Published AML SMS texts. Provenance:
// - ETSI: the example of ETSI TS 103 625 (and of EENA's AML documents), also quoted in issue 3. Its `ml`
//   (124) is 3 less than its length (127).
// - ELS-NOFIX / ELS-WIFI: Google's Android Emergency Location Service SMS reference
//   (developers.google.com/android/els/reference/sms-spec), "No location" and "Computed location".
// - AMLLIB: the README of the aml-lib Rust crate (a French operator's parser), a real Android message.
// - FR: a French AML test application's README: six-decimal coordinates, zero-padded MNC.
// - ELS-V2: the aml-lib test suite's Android ELS "beta" (A"ML=2) message.
const ETSI = 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=124';
const ELS_NOFIX = 'A"ML=1;lt=+00.00000;lg=+000.00000;rd=N;top=20220131173734;lc=0;pm=N;si=234159000000000;ei=123456789012345;mcc=234;mnc=15;ml=127';
const ELS_WIFI = 'A"ML=1;lt=+51.53321;lg=-0.12601;rd=14;top=20220131171748;lc=68;pm=W;si=234159000000000;ei=123456789012345;mcc=234;mnc=15;ml=126';
const AMLLIB = 'A"ML=1;lt=48.82639;lg=-2.36619;rd=52;top=20191112112928;lc=68;pm=G;si=208201771948415;ei=353472104343540;mcc=208;mnc=20;ml=126';
const FR = 'A"ML=1;lt=+48.902963;lg=+2.516582;rd=1964;top=20220210134654;lc=95;pm=G;si=234302543446355;ei=357365093474415;mcc=208;mnc=01;ml=131';
const ELS_V2 = 'A"ML=2;en=+15555555555;et=1593187189;lo=-37.42175,-122.08461,2000.1;lt=-9999;lc=68;lz=-100.1,100.1;ls=G;ei=358239059042542;nc=310260;hc=310260;lg=en-US';

describe('parseAml on published messages', () => {
  it('ETSI example: Glasgow, GNSS, 50 m, 90 %, 2013-07-17 14:19:35 UTC', () => {
    expect(parseAml(ETSI)).toEqual({
      ok: true,
      version: 1,
      hasFix: true,
      latitude: 55.74317,
      longitude: -4.26881,
      radiusM: 50,
      confidencePct: 90,
      method: 'gnss',
      methodCode: 'G',
      time: new Date('2013-07-17T14:19:35Z'),
      imsi: '234302543446355',
      imei: '356708041746734',
      mcc: '234',
      mnc: '30',
      altitudeM: null,
      messageLength: 124,
      lengthExact: false,
    });
  });

  it('Android ELS no-location message: ok, no fix, method none, NaN position', () => {
    const r = parseAml(ELS_NOFIX);
    expect(r).toMatchObject({ ok: true, hasFix: false, method: 'none', methodCode: 'N', confidencePct: 0, lengthExact: true, mcc: '234', mnc: '15' });
    if (!r.ok) return;
    expect(r.latitude).toBeNaN();
    expect(r.longitude).toBeNaN();
    expect(r.radiusM).toBeNaN();
    expect(r.time.toISOString()).toBe('2022-01-31T17:37:34.000Z');
  });

  it('Android ELS Wi-Fi location: London, 14 m', () => {
    expect(parseAml(ELS_WIFI)).toMatchObject({ ok: true, latitude: 51.53321, longitude: -0.12601, radiusM: 14, method: 'wifi', confidencePct: 68 });
  });

  it('unsigned latitude (aml-lib README) with an exact ml', () => {
    expect(parseAml(AMLLIB)).toMatchObject({ ok: true, latitude: 48.82639, longitude: -2.36619, radiusM: 52, lengthExact: true, mnc: '20' });
  });

  it('six decimals and a zero-padded MNC (kept as text)', () => {
    expect(parseAml(FR)).toMatchObject({ ok: true, latitude: 48.902963, longitude: 2.516582, radiusM: 1964, mnc: '01', lengthExact: true });
  });

  it('Android ELS version 2: lo=lat,lon,acc, et + lt, lz altitude, nc=MCC+MNC', () => {
    expect(parseAml(ELS_V2)).toMatchObject({
      ok: true,
      version: 2,
      hasFix: true,
      latitude: -37.42175,
      longitude: -122.08461,
      radiusM: 2000.1,
      confidencePct: 68,
      method: 'gnss',
      imei: '358239059042542',
      imsi: null,
      mcc: '310',
      mnc: '260',
      altitudeM: -100.1,
      messageLength: null,
      time: new Date(1593187189 * 1000), // lt=-9999 is ELS's "unknown": the call time stands
    });
  });

  it('Android ELS version 2 without ls: the position in lo is still a fix, its method unknown', () => {
    expect(parseAml(ELS_V2.replace('ls=G;', ''))).toMatchObject({ ok: true, hasFix: true, latitude: -37.42175, longitude: -122.08461, radiusM: 2000.1, method: 'other', methodCode: '' });
    expect(parseAml(ELS_V2.replace('ls=G;', '').replace(/lo=[^;]*;/, ''))).toMatchObject({ ok: true, hasFix: false, method: 'none' });
  });

  it('ETSI-style version 2 (v1 keys plus new ones) reads like v1 and ignores unknown keys', () => {
    const v2 = 'A"ML=2;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=C;fl=3;ht=41.0;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=';
    const text = v2 + String(v2.length + 3);
    expect(parseAml(text)).toMatchObject({ ok: true, version: 2, method: 'cell', latitude: 55.74317, lengthExact: true });
  });

  it('tolerates a trailing newline and a quote-less header', () => {
    expect(parseAml(AMLLIB + '\r\n')).toMatchObject({ ok: true, lengthExact: true });
    expect(parseAml(AMLLIB.replace('A"ML', 'AML'))).toMatchObject({ ok: true, lengthExact: false });
  });

  it('a decimal comma in lt, lg and rd (a handset formatting with its language) is read as the decimal point', () => {
    // MTK's BT 999 AML sender (OrangeEccSms, in several Android ROM dumps) wrote lt/lg with java.text.DecimalFormat in
    // the phone's default locale; a later build fixed it with DecimalFormatSymbols(Locale.UK). A phone of the old
    // build set to Polish, German or French (decimal comma) sends this, `ml` counted by the phone, and loses nothing.
    const MTK_COMMA = 'A"ML=1;lt=+51,500700;lg=-0,1218000;rd=12;top=20261123055930;lc=68;pm=G;si=234159123456789;ei=3567080417467340;mcc=234;mnc=33;ml=131';
    expect(parseAml(MTK_COMMA)).toMatchObject({ ok: true, hasFix: true, latitude: 51.5007, longitude: -0.1218, radiusM: 12, method: 'gnss', lengthExact: true });
    expect(parseAml(ELS_WIFI.replace('rd=14', 'rd=14,5'))).toMatchObject({ ok: true, radiusM: 14.5, lengthExact: false });
    // Still one separator at most: "51,500,700" is no number.
    expect(parseAml(MTK_COMMA.replace('+51,500700', '+51,500,70'))).toMatchObject({ ok: false, reason: AmlReason.BAD_FIELD, field: 'lt' });
  });

  // Play Services' ELS AML v1 SMS reporter (com.google.android.gms 20.15.15, decompiled): lt/lg "%.5f" in
  // Locale.ROOT (no '+'), rd whole metres, pm G/C/W from the location's locationType extra and N otherwise, every
  // key written even when its value is null (then empty), ml counting itself.
  const els = (body: string): string => {
    const head = `${body};ml=`;
    return head + String(head.length + String(head.length + String(head.length).length).length);
  };
  const ELS_LOC = 'A"ML=1;lt=51.53321;lg=-0.12601;rd=14;top=20220131171748;lc=68';
  const ELS_IDS = 'si=234159000000000;ei=123456789012345;mcc=234;mnc=15';

  it('ELS: a location whose source is unclassified comes with pm=N; it is a fix of unknown method, not "no location"', () => {
    const r = parseAml(els(`${ELS_LOC};pm=N;${ELS_IDS}`));
    expect(r).toMatchObject({ ok: true, hasFix: true, latitude: 51.53321, longitude: -0.12601, radiusM: 14, confidencePct: 68, method: 'other', methodCode: 'N', lengthExact: true });
    // ELS's own "no location" (zeros, rd=N, lc=0, pm=N) stays no fix; so do zeros with a radius, and a pm=N
    // message whose coordinates are not a position.
    expect(parseAml(ELS_NOFIX)).toMatchObject({ ok: true, hasFix: false, method: 'none' });
    expect(parseAml(els('A"ML=1;lt=+00.00000;lg=+000.00000;rd=14;top=20220131171748;lc=68;pm=N;' + ELS_IDS))).toMatchObject({ ok: true, hasFix: false, method: 'none' });
    expect(parseAml(els(`A"ML=1;lt=95.00000;lg=-0.12601;rd=14;top=20220131171748;lc=68;pm=N;${ELS_IDS}`))).toMatchObject({ ok: true, hasFix: false, method: 'none' });
    expect(parseAml(els(`A"ML=1;lt=51.53321;lg=-0.12601;rd=N;top=20220131171748;lc=68;pm=N;${ELS_IDS}`))).toMatchObject({ ok: true, hasFix: false, method: 'none' });
  });

  it('ELS: a key with no value (IMSI, IMEI or network unknown) is absent; the position is kept', () => {
    expect(parseAml(els(`${ELS_LOC};pm=G;si=;ei=123456789012345;mcc=234;mnc=15`))).toMatchObject({ ok: true, hasFix: true, latitude: 51.53321, imsi: null, imei: '123456789012345', lengthExact: true });
    expect(parseAml(els(`${ELS_LOC};pm=G;si=234159000000000;ei=;mcc=234;mnc=15`))).toMatchObject({ ok: true, hasFix: true, imei: null, mcc: '234' });
    expect(parseAml(els(`${ELS_LOC};pm=W;si=234159000000000;ei=123456789012345;mcc=;mnc=`))).toMatchObject({ ok: true, hasFix: true, method: 'wifi', mcc: null, mnc: null });
  });

  it('an identity not in its form (a hex MEID in ei, letters in si, a 4-digit MCC) is absent; the position is kept', () => {
    expect(parseAml(els(`${ELS_LOC};pm=G;si=234159000000000;ei=A0000012345678;mcc=234;mnc=15`))).toMatchObject({ ok: true, hasFix: true, latitude: 51.53321, imsi: '234159000000000', imei: null });
    expect(parseAml(els(`${ELS_LOC};pm=G;si=23415X;ei=123456789012345;mcc=2345;mnc=1`))).toMatchObject({ ok: true, hasFix: true, imsi: null, imei: '123456789012345', mcc: null, mnc: null });
  });

  it('other method letters are kept as "other" with their code', () => {
    expect(parseAml(AMLLIB.replace('pm=G', 'pm=F'))).toMatchObject({ ok: true, method: 'other', methodCode: 'F' });
  });
});

describe('parseAml rejections', () => {
  const withMl = (body: string): string => {
    const head = body + ';ml=';
    const n = head.length + 3;
    return head + String(n);
  };
  const base = 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30';
  const rows: { name: string; text: string; reason: string; field?: string }[] = [
    { name: 'latitude 95', text: withMl(base.replace('+55.74317', '+95.74317')), reason: AmlReason.ABSURD_VALUE, field: 'lt' },
    { name: 'longitude -181', text: withMl(base.replace('-4.26881', '-181.00000')), reason: AmlReason.ABSURD_VALUE, field: 'lg' },
    { name: 'latitude not a number', text: withMl(base.replace('+55.74317', '55.74a17')), reason: AmlReason.BAD_FIELD, field: 'lt' },
    { name: 'confidence 140', text: withMl(base.replace('lc=90', 'lc=140')), reason: AmlReason.ABSURD_VALUE, field: 'lc' },
    { name: 'negative radius', text: withMl(base.replace('rd=50', 'rd=-5')), reason: AmlReason.ABSURD_VALUE, field: 'rd' },
    { name: 'month 13', text: withMl(base.replace('20130717141935', '20131317141935')), reason: AmlReason.ABSURD_VALUE, field: 'top' },
    { name: '31 February', text: withMl(base.replace('20130717141935', '20130231141935')), reason: AmlReason.ABSURD_VALUE, field: 'top' },
    { name: 'short time', text: withMl(base.replace('20130717141935', '201307171419')), reason: AmlReason.BAD_FIELD, field: 'top' },
    { name: 'two-letter method', text: withMl(base.replace('pm=G', 'pm=GW')), reason: AmlReason.BAD_FIELD, field: 'pm' },
    { name: 'duplicate key', text: withMl(base + ';lt=+1.0'), reason: AmlReason.BAD_FIELD, field: 'lt' },
    { name: 'missing latitude', text: withMl(base.replace('lt=+55.74317;', '')), reason: AmlReason.MISSING_FIELD, field: 'lt' },
    { name: 'ml far too large', text: base + ';ml=200', reason: AmlReason.LENGTH_MISMATCH, field: 'ml' },
    { name: `ml off by ${ML_TOLERANCE + 1}`, text: base + `;ml=${base.length + 7 + ML_TOLERANCE + 1}`, reason: AmlReason.LENGTH_MISMATCH, field: 'ml' },
    { name: 'ml not a number', text: base + ';ml=abc', reason: AmlReason.BAD_FIELD, field: 'ml' },
    { name: 'cut before ml', text: base, reason: AmlReason.TRUNCATED, field: 'ml' },
    { name: 'cut inside a key', text: base + ';m', reason: AmlReason.TRUNCATED },
    { name: 'cut after lt', text: 'A"ML=1;lt=+55.74317', reason: AmlReason.TRUNCATED },
    { name: 'header only', text: 'A"ML', reason: AmlReason.TRUNCATED },
    { name: 'version 3', text: withMl(base.replace('A"ML=1', 'A"ML=3')), reason: AmlReason.WRONG_VERSION },
    { name: 'a TSR1 report', text: 'TSR1;h=TS-0001;n=1', reason: AmlReason.NOT_MINE },
    { name: 'chat', text: 'where are you', reason: AmlReason.NOT_MINE },
    { name: 'garbage in the middle', text: withMl(base.replace(';lc=90;', ';lc=90;;')), reason: AmlReason.BAD_FIELD },
    { name: 'too long', text: base + ';xx=' + 'x'.repeat(1000), reason: AmlReason.TOO_LONG },
    { name: 'ELS v2 latitude 95', text: ELS_V2.replace('-37.42175', '95.1'), reason: AmlReason.ABSURD_VALUE, field: 'lo' },
    { name: 'zeros with a fix method', text: ELS_WIFI.replace('lt=+51.53321;lg=-0.12601', 'lt=+00.00000;lg=+000.00000'), reason: AmlReason.ABSURD_VALUE, field: 'lt' },
    { name: 'ELS v2 zeros with ls=G', text: ELS_V2.replace('-37.42175,-122.08461', '0.00000,0.00000'), reason: AmlReason.ABSURD_VALUE, field: 'lo' },
    { name: 'ELS v2 without et', text: ELS_V2.replace('et=1593187189;', ''), reason: AmlReason.MISSING_FIELD, field: 'et' },
  ];
  it.each(rows)('$name -> $reason', ({ text, reason, field }) => {
    const r = parseAml(text);
    expect(r).toMatchObject({ ok: false, reason });
    if (field !== undefined) expect(r).toMatchObject({ field });
  });

  it('every AmlReason appears in the table', () => {
    const seen = new Set(rows.map((r) => r.reason));
    for (const reason of Object.values(AmlReason)) expect(seen, reason).toContain(reason);
  });
});

describe('encodeAml (for the simulated network and tests)', () => {
  const fields = {
    latitude: 55.74317, longitude: -4.26881, radiusM: 50, confidencePct: 90, method: 'gnss' as const,
    time: new Date('2013-07-17T14:19:35Z'), imsi: '234302543446355', imei: '356708041746734', mcc: '234', mnc: '30',
  };
  it('writes the ETSI example with an exact ml', () => {
    expect(encodeAml(fields)).toBe(ETSI.replace('ml=124', 'ml=127'));
  });
  it('round-trips through parseAml, fix and no fix, short and long messages', () => {
    for (const f of [fields, { ...fields, latitude: -0.5, longitude: 179.99999, method: 'wifi' as const }, { ...fields, method: 'none' as const }, { ...fields, imsi: '1', imei: '12345678901234', mnc: '01' }]) {
      const text = encodeAml(f);
      const r = parseAml(text);
      expect(r, text).toMatchObject({ ok: true, lengthExact: true, messageLength: text.length, confidencePct: 90, imsi: f.imsi, mnc: f.mnc });
      if (r.ok && r.hasFix) expect([r.latitude, r.longitude, r.radiusM]).toEqual([f.latitude, f.longitude, f.radiusM]);
      if (r.ok) expect(r.hasFix).toBe(f.method !== 'none');
    }
  });
  it('refuses an impossible position', () => {
    expect(() => encodeAml({ ...fields, latitude: 95 })).toThrow(RangeError);
  });
});

describe('parseAmlData (AML as a GSM 7-bit packed data SMS)', () => {
  // From the aml-lib crate's test suite: a data SMS payload as an Android phone sent it.
  const HEX =
    '415193D98BEDD8F4DEECE6A2C962B7DA8E7DEEB56232990B86A3D9623B39B92783EDE86F784F068BD560B6D80C1683E568B81D7BDCB3E1' +
    '76F076EFB89BA77B39DCCD56A3C966B15D39DD9BD570B2590E56CBC168B21A4DB66B8FC7BD590CB66BBBC73D990DB66BB37B31D90C';
  it('unpacks and parses the real payload (ml exact)', () => {
    expect(parseAmlData(Buffer.from(HEX, 'hex'))).toMatchObject({
      ok: true, latitude: 37.42175, longitude: -122.08461, radiusM: 20, method: 'gnss', imsi: '987654231', imei: '358239059042542',
      mcc: '310', mnc: '260', lengthExact: true, time: new Date('2015-06-13T01:09:48Z'),
    });
  });
  it('drops the 0x00 septet that 7 spare bits produce', () => {
    // A message whose septet count leaves 7 spare bits in the last octet (count % 8 === 7).
    const body = 'A"ML=1;lt=+51.50000;lg=-0.10000;rd=10;top=20220131171748;lc=68;pm=W;si=234159000000000;ei=123456789012345;mcc=234;mnc=15';
    let text = '';
    for (let k = 0; k < 8 && (text === '' || text.length % 8 !== 7); k++) {
      const head = `${body};x=${'a'.repeat(k)};ml=`;
      text = head + String(head.length + 3);
    }
    expect(text.length % 8).toBe(7);
    const septets = Array.from(text, (c) => c.charCodeAt(0));
    const octets = new Uint8Array(Math.ceil((septets.length * 7) / 8));
    septets.forEach((s, k) => {
      const bit = k * 7;
      octets[bit >> 3] |= (s << (bit & 7)) & 0xff;
      if ((bit & 7) > 1) octets[(bit >> 3) + 1] |= s >> (8 - (bit & 7));
    });
    expect(parseAmlData(octets)).toMatchObject({ ok: true, method: 'wifi' });
  });
  it('refuses junk octets without throwing', () => {
    expect(parseAmlData(new Uint8Array([1, 2, 3]))).toMatchObject({ ok: false, reason: AmlReason.NOT_MINE });
    expect(parseAmlData(new Uint8Array(2000))).toMatchObject({ ok: false, reason: AmlReason.TOO_LONG });
    expect(parseAmlData(new Uint8Array(0))).toMatchObject({ ok: false });
  });
});
