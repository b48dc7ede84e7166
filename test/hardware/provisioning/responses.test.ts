// The console's information lines, as firmware-sim's console writes them, and bad input: each parser answers
// a value, "not-mine" for another command's line, or "corrupt" with a reason; never throws.
import { describe, expect, it } from 'vitest';
import { parseTsAuthNonce, parseTsCfg, parseTsInfo, parseTsLock, parseTsReason, parseTsSelfTest } from '../../../hardware/provisioning/responses.js';

describe('console response parsers', () => {
  it('decode the documented lines', () => {
    expect(parseTsInfo('+TSINFO: "TS-0001","1.0.0","356938035643809",0')).toEqual({ ok: true, value: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809', provisioned: false } });
    expect(parseTsInfo('+TSINFO: "TS-0001","1.0.0","356938035643809",1')).toMatchObject({ ok: true, value: { provisioned: true } });
    expect(parseTsAuthNonce('+TSAUTH: "9f86d081884c7d659a2feaa0c55ad015"')).toEqual({ ok: true, value: '9f86d081884c7d659a2feaa0c55ad015' });
    expect(parseTsCfg('+TSCFG: "force","Thames Valley, North"')).toEqual({ ok: true, value: ['force', 'Thames Valley, North'] });
    expect(parseTsCfg('+TSCFG: "gateway",""')).toEqual({ ok: true, value: ['gateway', ''] });
    expect(parseTsSelfTest('+TSSELFTEST: "gps",1,"fix, 9 satellites, HDOP 0.9"')).toEqual({ ok: true, value: { part: 'gps', ok: true, detail: 'fix, 9 satellites, HDOP 0.9' } });
    expect(parseTsReason('+TSREASON: "signature refused (1 of 3)"')).toEqual({ ok: true, value: 'signature refused (1 of 3)' });
    expect(parseTsLock('+TSLOCK: 897')).toEqual({ ok: true, value: 897 });
  });

  it('tell another command\'s line from a corrupt one', () => {
    expect(parseTsInfo('+TSCFG: "a","b"')).toMatchObject({ ok: false, failure: 'not-mine' });
    expect(parseTsAuthNonce('OK')).toMatchObject({ ok: false, failure: 'not-mine' });
    const corrupt: [(l: string) => { ok: boolean }, string][] = [
      [parseTsInfo, '+TSINFO: "TS-0001","1.0.0","356938035643809"'],
      [parseTsInfo, '+TSINFO: "TS-0001","1.0.0","356938035643809",2'],
      [parseTsInfo, '+TSINFO: "TS-0001,"1.0.0'],
      [parseTsAuthNonce, '+TSAUTH: "9F86D081884C7D659A2FEAA0C55AD015"'],
      [parseTsAuthNonce, '+TSAUTH: "1234"'],
      [parseTsCfg, '+TSCFG: "lonely"'],
      [parseTsSelfTest, '+TSSELFTEST: "gps",yes,"x"'],
      [parseTsLock, '+TSLOCK: soon'],
    ];
    for (const [parse, line] of corrupt) expect(parse(line), line).toMatchObject({ ok: false, failure: 'corrupt' });
  });
});
