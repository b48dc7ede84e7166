// AML: the location SMS a phone sends by itself when it calls an emergency number (ETSI TS 103 625, as
// Android's ELS and iOS send it). The gateway attaches it to the call from the same number.
//
// Version 1 (ETSI TS 103 625 / EENA; also what Android ELS "V1" sends):
//   A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=124
//   no fix:  A"ML=1;lt=+00.00000;lg=+000.00000;rd=N;top=20220131173734;lc=0;pm=N;si=234159000000000;ei=...;mcc=234;mnc=15;ml=127
//
// | key | meaning                                   | checks                                        |
// |-----|-------------------------------------------|-----------------------------------------------|
// | lt  | latitude, WGS84 degrees, sign optional    | -90..90; a decimal comma is the point         |
// |     | (ELS writes none: `%.5f`)                 | (decimalPoint)                                |
// | lg  | longitude                                 | -180..180                                     |
// | rd  | radius (accuracy) in metres, `N` unknown  | 0..1 000 000                                  |
// | top | time of positioning, UTC YYYYMMDDhhmmss   | a real calendar instant                       |
// | lc  | level of confidence, percent              | 0..100                                        |
// | pm  | G gnss, W wifi, C cell, N none (no fix)   | other letters: method 'other'; N beside a     |
// |     |                                           | real position: 'other' (unclassifiedPosition) |
// | si  | IMSI (ELS sends the first 6 digits, 0s)   | digits; empty = absent (present)              |
// | ei  | IMEI (14..16 digits)                      | digits; empty = absent                        |
// | mcc | network MCC, mnc network MNC              | 3 digits, 2..3 digits; empty = absent         |
// | ml  | message length: characters of the whole   | within ±3 of the real length (see below)      |
// |     | message, header and `ml=` field included  |                                               |
//
// Version 2 comes in two forms. ETSI-style (`A"ML=2;lt=..;lg=..;...`): the v1 keys plus extra ones, read
// as v1 with the extras ignored. Android ELS "beta" (`A"ML=2;en=..;et=<epoch s>;lo=<lat>,<lon>,<acc>;
// lt=<s after et>;lc=..;lz=<alt>,<vacc>;ls=<method>;ei=..;nc=<mcc+mnc>;hc=..;lg=<language>`): note that
// `lt`/`lg` mean time offset and language there; told apart by the presence of `lo`, `et` or `en`.
//
// `ml`: the Google ELS reference says "length of message (including message length and header)", and real
// messages match that exactly; but published examples are off by 1 to 3 (the ETSI example above is 127
// characters with ml=124). Every encoder read for this (Play Services' ELS reporter, MTK's BT 999 sender, the
// GridGears parser's test data) counts exactly; the examples were edited by hand (Google's "location computed"
// example has `lt=+51.53321`, a '+' its encoder never writes: the message it sends is 126 characters, ml=126). A missing `ml` in v1 means the message was cut (it is the last key); an `ml`
// more than ML_TOLERANCE away from the real length is a corrupted or spliced message and is refused; a
// small difference is accepted and reported as `lengthExact: false`.

/** Rejection codes of parseAml. */
export const AmlReason = {
  /** Not an AML SMS (does not start with `A"ML=`). */
  NOT_MINE: 'not-mine',
  /** An AML version other than 1 and 2. */
  WRONG_VERSION: 'wrong-version',
  /** The message stops early (v1 without its final `ml`, or a key without `=` at the very end). */
  TRUNCATED: 'truncated',
  /** Implausibly long for an AML SMS (over 1000 characters). */
  TOO_LONG: 'too-long',
  /** A required key is absent. */
  MISSING_FIELD: 'missing-field',
  /** A key appears twice, or a value has the wrong syntax. */
  BAD_FIELD: 'bad-field',
  /** A value with the right syntax but impossible: latitude 95, confidence 140, month 13. */
  ABSURD_VALUE: 'absurd-value',
  /** `ml` disagrees with the message's real length by more than ML_TOLERANCE. */
  LENGTH_MISMATCH: 'length-mismatch',
} as const;
export type AmlReason = (typeof AmlReason)[keyof typeof AmlReason];

/** How the phone positioned itself. */
export type AmlMethod = 'gnss' | 'wifi' | 'cell' | 'none' | 'other';

/** A parsed AML SMS. Without a fix (`pm=N`), latitude, longitude and radiusM are NaN and hasFix is false. */
export interface AmlLocation {
  readonly ok: true;
  readonly version: 1 | 2;
  readonly hasFix: boolean;
  readonly latitude: number;
  readonly longitude: number;
  /** Accuracy radius in metres; NaN when the phone sent `N` or nothing. */
  readonly radiusM: number;
  /** Confidence that the caller is inside the radius, percent; NaN when absent (v2). */
  readonly confidencePct: number;
  readonly method: AmlMethod;
  /** The method letter as sent (`G`, `W`, `C`, `N`, ...). */
  readonly methodCode: string;
  /** Time of positioning (UTC). */
  readonly time: Date;
  readonly imsi: string | null;
  readonly imei: string | null;
  readonly mcc: string | null;
  readonly mnc: string | null;
  /** Altitude in metres when sent (ELS v2 `lz`). */
  readonly altitudeM: number | null;
  /** The `ml` value, null when absent (ELS v2). */
  readonly messageLength: number | null;
  /** True when `ml` equals the real length (false also when it is absent). */
  readonly lengthExact: boolean;
}

export interface AmlRejection {
  readonly ok: false;
  readonly reason: AmlReason;
  readonly field?: string;
  readonly detail: string;
}

export type AmlResult = AmlLocation | AmlRejection;

/** Largest accepted difference between `ml` and the real length, in characters. */
export const ML_TOLERANCE = 3;
const MAX_AML_LENGTH = 1000;

const HEADER = /^A"?ML=([^;]*)(;|$)/;
const COORD = /^[+-]?[0-9]{1,3}(\.[0-9]{1,12})?$/;
const NUMBER = /^[+-]?[0-9]{1,9}(\.[0-9]{1,9})?$/;
const DIGITS = /^[0-9]+$/;

function fail(reason: AmlReason, detail: string, field?: string): AmlRejection {
  return field === undefined ? { ok: false, reason, detail } : { ok: false, reason, field, detail };
}

const METHODS: Readonly<Record<string, AmlMethod>> = { G: 'gnss', W: 'wifi', C: 'cell', N: 'none' };

/** Parses an AML SMS text. Never throws. */
export function parseAml(text: string): AmlResult {
  if (typeof text !== 'string') return fail(AmlReason.NOT_MINE, 'not text');
  const body = text.trimEnd(); // trailing CR/LF/spaces are not part of the message (and not counted by ml)
  const head = HEADER.exec(body);
  if (head === null) {
    return body.length > 0 && ('A"ML='.startsWith(body) || 'AML='.startsWith(body))
      ? fail(AmlReason.TRUNCATED, 'only the start of the A"ML header arrived')
      : fail(AmlReason.NOT_MINE, 'does not start with A"ML=');
  }
  if (body.length > MAX_AML_LENGTH) return fail(AmlReason.TOO_LONG, `${body.length} characters`);
  const version = head[1] as string;
  if (version !== '1' && version !== '2') {
    return version === '' ? fail(AmlReason.TRUNCATED, 'no version') : fail(AmlReason.WRONG_VERSION, `A"ML=${version.slice(0, 6)}`);
  }

  const fields = new Map<string, string>();
  const parts = body.slice(head[0].length).split(';');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '' && i === parts.length - 1) break; // a trailing ';'
    const eq = part.indexOf('=');
    if (eq <= 0) {
      return i === parts.length - 1 ? fail(AmlReason.TRUNCATED, `the message ends inside "${part.slice(0, 8)}"`) : fail(AmlReason.BAD_FIELD, `"${part.slice(0, 12)}" is not key=value`);
    }
    const key = part.slice(0, eq);
    if (fields.has(key)) return fail(AmlReason.BAD_FIELD, `${key} appears twice`, key);
    fields.set(key, part.slice(eq + 1));
  }

  const els = version === '2' && (fields.has('lo') || fields.has('et') || fields.has('en'));
  const parsed = els ? parseElsV2(fields) : parseEtsi(fields, version === '1' ? 1 : 2);
  if (!parsed.ok) return parsed;

  const ml = fields.get('ml');
  let messageLength: number | null = null;
  if (ml === undefined) {
    if (!els) return fail(AmlReason.TRUNCATED, 'no ml (the last key): the message was cut', 'ml');
  } else {
    if (!/^[0-9]{1,4}$/.test(ml)) return fail(AmlReason.BAD_FIELD, 'ml must be a number', 'ml');
    messageLength = Number(ml);
    if (Math.abs(messageLength - body.length) > ML_TOLERANCE) {
      return fail(AmlReason.LENGTH_MISMATCH, `ml=${ml} but the message has ${body.length} characters`, 'ml');
    }
  }
  return { ...parsed, messageLength, lengthExact: messageLength === body.length };
}

type AmlCore = Omit<AmlLocation, 'messageLength' | 'lengthExact'>;

function parseEtsi(f: ReadonlyMap<string, string>, version: 1 | 2): AmlCore | AmlRejection {
  for (const key of ['lt', 'lg', 'rd', 'top', 'lc', 'pm']) {
    if (!f.has(key)) return fail(f.has('ml') ? AmlReason.MISSING_FIELD : AmlReason.TRUNCATED, `no ${key}`, key);
  }
  const methodCode = (f.get('pm') as string).toUpperCase();
  if (!/^[A-Z]$/.test(methodCode)) return fail(AmlReason.BAD_FIELD, 'pm must be one letter', 'pm');
  let method = METHODS[methodCode] ?? 'other';
  if (method === 'none' && unclassifiedPosition(f)) method = 'other';
  const hasFix = method !== 'none';

  let latitude = NaN;
  let longitude = NaN;
  if (hasFix) {
    const lat = coordinate(decimalPoint(f.get('lt') as string), 'lt', 90);
    if (typeof lat !== 'number') return lat;
    const lon = coordinate(decimalPoint(f.get('lg') as string), 'lg', 180);
    if (typeof lon !== 'number') return lon;
    if (lat === 0 && lon === 0) return nullIsland('lt', methodCode);
    latitude = lat;
    longitude = lon;
  }
  const rd = f.get('rd') as string;
  let radiusM = NaN;
  if (hasFix && rd !== 'N') {
    const r = bounded(decimalPoint(rd), 'rd', 0, 1_000_000);
    if (typeof r !== 'number') return r;
    radiusM = r;
  }
  const lc = bounded(f.get('lc') as string, 'lc', 0, 100);
  if (typeof lc !== 'number') return lc;
  const time = utcFromTop(f.get('top') as string);
  if (!(time instanceof Date)) return time;
  const ids = identities(present(f.get('si')), present(f.get('ei')), present(f.get('mcc')), present(f.get('mnc')));
  return { ok: true, version, hasFix, latitude, longitude, radiusM, confidencePct: lc, method, methodCode, time, ...ids, altitudeM: null };
}

function parseElsV2(f: ReadonlyMap<string, string>): AmlCore | AmlRejection {
  const et = f.get('et');
  if (et === undefined) return fail(AmlReason.MISSING_FIELD, 'no et (time of the emergency call)', 'et');
  if (!/^[0-9]{1,11}$/.test(et)) return fail(AmlReason.BAD_FIELD, 'et must be seconds since the epoch', 'et');
  // lt: seconds from et to the location; ELS sends sentinels such as -9999 when unknown: ignored then.
  const lt = f.get('lt');
  const offset = lt !== undefined && /^-?[0-9]{1,5}$/.test(lt) && Math.abs(Number(lt)) <= 3600 ? Number(lt) : 0;
  const time = new Date((Number(et) + offset) * 1000);

  const lo = f.get('lo');
  // `ls` (how the location was found) absent: a position in `lo` is still one, its method unknown ('other',
  // methodCode ''); with neither, there is no fix.
  const ls = f.get('ls');
  const methodCode = ls === undefined ? (lo === undefined ? 'N' : '') : ls.toUpperCase();
  if (ls !== undefined && !/^[A-Z]$/.test(methodCode)) return fail(AmlReason.BAD_FIELD, 'ls must be one letter', 'ls');
  let latitude = NaN;
  let longitude = NaN;
  let radiusM = NaN;
  if (lo !== undefined) {
    const [a, b, c, extra] = lo.split(',');
    if (a === undefined || b === undefined || extra !== undefined) return fail(AmlReason.BAD_FIELD, 'lo must be lat,lon[,accuracy]', 'lo');
    const lat = coordinate(a, 'lo', 90);
    if (typeof lat !== 'number') return lat;
    const lon = coordinate(b, 'lo', 180);
    if (typeof lon !== 'number') return lon;
    if (lat === 0 && lon === 0 && methodCode !== 'N') return nullIsland('lo', methodCode);
    latitude = lat;
    longitude = lon;
    if (c !== undefined) {
      const r = bounded(c, 'lo', 0, 1_000_000);
      if (typeof r !== 'number') return r;
      radiusM = r === 0 ? NaN : r; // 0 = unknown (ELS)
    }
  }
  const hasFix = lo !== undefined && methodCode !== 'N';
  const method: AmlMethod = hasFix ? (METHODS[methodCode] ?? 'other') : 'none';
  const lcText = f.get('lc');
  let confidencePct = NaN;
  if (lcText !== undefined) {
    const lc = bounded(lcText, 'lc', 0, 100);
    if (typeof lc !== 'number') return lc;
    confidencePct = lc;
  }
  let altitudeM: number | null = null;
  const lz = f.get('lz');
  if (lz !== undefined) {
    const alt = bounded(lz.split(',')[0] ?? '', 'lz', -1000, 100_000);
    if (typeof alt !== 'number') return alt;
    altitudeM = alt;
  }
  // MCC+MNC; not in that form, the network is unknown (as a malformed identity: see identities()).
  const ncText = present(f.get('nc'));
  const nc = ncText !== undefined && /^[0-9]{5,6}$/.test(ncText) ? ncText : undefined;
  const ids = identities(undefined, present(f.get('ei')), nc?.slice(0, 3), nc?.slice(3));
  return {
    ok: true,
    version: 2,
    hasFix,
    latitude: hasFix ? latitude : NaN,
    longitude: hasFix ? longitude : NaN,
    radiusM: hasFix ? radiusM : NaN,
    confidencePct,
    method,
    methodCode,
    time,
    ...ids,
    altitudeM,
  };
}

/**
 * `pm=N` beside a position. ELS (Play Services' AML v1 SMS reporter, decompiled from com.google.android.gms
 * 20.15.15) writes `pm` from the location's `locationType` extra: G, C or W, and N when the source is unclassified
 * (its HTTPS reporter calls that "unknown"), while lt, lg, rd (whole metres) and lc are those of a real location.
 * Its "no location" is the zeros with `rd=N`, `lc=0`. So `pm=N` with valid coordinates that are not both 0 and a
 * numeric radius is a fix of unknown method (read as 'other', methodCode N); anything else with `pm=N` is no fix,
 * as before (never a rejection: the coordinates of a no-fix message are not looked at otherwise).
 */
function unclassifiedPosition(f: ReadonlyMap<string, string>): boolean {
  const lat = coordinate(decimalPoint(f.get('lt') as string), 'lt', 90);
  const lon = coordinate(decimalPoint(f.get('lg') as string), 'lg', 180);
  const rd = f.get('rd') as string;
  return typeof lat === 'number' && typeof lon === 'number' && !(lat === 0 && lon === 0) && rd !== 'N' && typeof bounded(decimalPoint(rd), 'rd', 0, 1_000_000) === 'number';
}

/**
 * A key written with no value is absent. ELS writes every key and leaves the value empty when it has none
 * (`si=` without an IMSI, `ei=` without an IMEI, `mcc=;mnc=` when the serving network is unknown): such a
 * message was refused as bad-field and its position lost, though the gateway uses none of these values.
 */
function present(v: string | undefined): string | undefined {
  return v === '' ? undefined : v;
}

/**
 * Latitude and longitude both 0 with a fix method: the zeros a phone writes when it has no position (ELS's
 * no-fix message has them with pm=N), not a place (0 N 0 E is open sea in the Gulf of Guinea). Refused, so
 * the control room sees why no position came, rather than a map pin off Africa.
 */
function nullIsland(field: string, methodCode: string): AmlRejection {
  return fail(AmlReason.ABSURD_VALUE, `latitude and longitude 0 with method ${methodCode || 'unknown'}: no position`, field);
}

/**
 * The ETSI format (and Google's ELS reference) writes degrees and metres with a decimal point. Some handsets
 * format them in the phone's language instead: MTK's BT 999 AML sender (OrangeEccSms, in several Android ROM
 * dumps) used java.text.DecimalFormat with the default locale, fixed in a later build with Locale.UK, so a phone
 * of the old build set to Polish, German or French writes `lt=+51,500700;lg=-0,1218000`. In a v1 value a comma
 * can mean nothing else, and `ml` still checks the length: one comma is read as the decimal point.
 */
function decimalPoint(text: string): string {
  const comma = text.indexOf(',');
  return comma < 0 || text.includes('.') || text.indexOf(',', comma + 1) >= 0 ? text : text.slice(0, comma) + '.' + text.slice(comma + 1);
}

function coordinate(text: string, field: string, limit: number): number | AmlRejection {
  if (!COORD.test(text)) return fail(AmlReason.BAD_FIELD, `${field} must be signed decimal degrees`, field);
  const v = Number(text);
  return Math.abs(v) <= limit ? v : fail(AmlReason.ABSURD_VALUE, `${field}=${text} is outside ±${limit}`, field);
}

function bounded(text: string, field: string, min: number, max: number): number | AmlRejection {
  if (!NUMBER.test(text)) return fail(AmlReason.BAD_FIELD, `${field} must be a number`, field);
  const v = Number(text);
  return v >= min && v <= max ? v : fail(AmlReason.ABSURD_VALUE, `${field}=${text} is outside ${min}..${max}`, field);
}

/** `top` = YYYYMMDDhhmmss, UTC, a real calendar instant (no 31 February, no 25:00). */
function utcFromTop(top: string): Date | AmlRejection {
  if (!/^[0-9]{14}$/.test(top)) return fail(AmlReason.BAD_FIELD, 'top must be YYYYMMDDhhmmss', 'top');
  const n = (a: number, b: number): number => Number(top.slice(a, b));
  const [y, mo, d, h, mi, s] = [n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14)];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const t = new Date(ms);
  const real =
    y >= 2000 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
  return real ? t : fail(AmlReason.ABSURD_VALUE, `top=${top} is not a real time`, 'top');
}

type Identities = Pick<AmlLocation, 'imsi' | 'imei' | 'mcc' | 'mnc'>;

/**
 * The caller's identities, each null when absent or not in its form (an IMSI of up to 15 digits, an IMEI of
 * 14..16, 3-digit MCC, 2..3-digit MNC). A malformed one does not refuse the message: nothing here locates
 * anyone (the gateway attaches an AML by its sender's number), and refusing lost a caller's position over a
 * field such as a hex MEID a CDMA-era phone writes in `ei`. The position fields stay strict.
 */
function identities(si: string | undefined, ei: string | undefined, mcc: string | undefined, mnc: string | undefined): Identities {
  const valid = (v: string | undefined, ok: (v: string) => boolean): string | null => (v !== undefined && ok(v) ? v : null);
  return {
    imsi: valid(si, (v) => DIGITS.test(v) && v.length <= 15),
    imei: valid(ei, (v) => DIGITS.test(v) && v.length >= 14 && v.length <= 16),
    mcc: valid(mcc, (v) => /^[0-9]{3}$/.test(v)),
    mnc: valid(mnc, (v) => /^[0-9]{2,3}$/.test(v)),
  };
}
