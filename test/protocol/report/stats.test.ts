import { describe, expect, it } from 'vitest';
import { AmlReason, DecodeStats, decodeReport, parseAml, WireReason, type AmlReason as AmlReasonT, type WireReason as WireReasonT } from '../../../protocol/report/index.js';

describe('DecodeStats', () => {
  it('counts not-mine apart from corrupt, and corrupt by reason', () => {
    const stats = new DecodeStats<WireReasonT>();
    const texts = ['hello', 'A"ML=1;lt=1', 'TSR2;x', 'TSR1;h=A', 'TSR1;h=A;n=1'];
    for (const t of texts) stats.record(decodeReport(t));
    expect(stats).toMatchObject({ accepted: 0, notMine: 2, corrupt: 3 });
    expect(stats.byReason).toEqual({ [WireReason.NOT_MINE]: 2, [WireReason.WRONG_VERSION]: 1, [WireReason.TRUNCATED]: 2 });
  });
  it('works for AML too and passes results through', () => {
    const stats = new DecodeStats<AmlReasonT>();
    const r = stats.record(parseAml('A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=124'));
    expect(r.ok).toBe(true);
    stats.record(parseAml('TSR1;h=A'));
    stats.record(parseAml('A"ML=1;lt=+95;lg=0;rd=1;top=20130717141935;lc=90;pm=G;ml=60'));
    expect(stats).toMatchObject({ accepted: 1, notMine: 1, corrupt: 1 });
    expect(stats.byReason[AmlReason.ABSURD_VALUE]).toBe(1);
  });
});
