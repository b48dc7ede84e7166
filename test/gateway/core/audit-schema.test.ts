// The gateway's own audit entries (the daily retention purge, retention's clock hold) as GET /api/audit shows
// them must fit protocol/schemas' AuditEntry: the supervisor's console parses each page of the audit log with
// it, and one entry that does not fit fails the whole page. The purge writes one entry every day, even when
// nothing matched, so every gateway's audit log has them.
import { describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../protocol/schemas/audit.js';
import { auditView } from '../../../gateway/http/audit.js';
import { SteppingClock } from '../../support/stepping-clock.js';
import { START, startRig } from './harness.js';

describe("the gateway's own audit entries", () => {
  it('fit the AuditEntry schema the console parses them with (purge, retention held and resumed)', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    await rig.core.purgeNow();
    clock.stepWall(400 * 86_400_000);
    clock.advance(60_000);
    await rig.core.idle();
    clock.stepWall(-400 * 86_400_000);
    clock.advance(60_000);
    await rig.core.idle();
    const entries = (await rig.store.readAudit(0, 100)).map(auditView);
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['purge', 'retention.held', 'retention.resumed']));
    const misfits = entries.filter((e) => !AuditEntry.safeParse(e).success).map((e) => `${e.actor} ${e.action}`);
    expect(misfits).toEqual([]);
  });
});
