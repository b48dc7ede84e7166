// A clean stop while a retention purge is under way: the snapshot the stop leaves must not hold what the purge
// redacted (the victim's old positions), in the file or, after a restart, in the incident's recent track.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SNAPSHOT_NAME } from '../../../gateway/core/snapshot.js';
import { deliver, report, sentences, START, startRig, tmpDir } from './harness.js';

const DAY = 86_400_000;
const OLD = { lat: 51.4321, lon: -0.2468 };

describe('retention and the snapshot at a clean stop', () => {
  it('a stop in the middle of a purge leaves no snapshot holding the purged fixes', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    // Retention of one day, and a restart two days later: a gateway switched off for longer than
    // START_ALLOWANCE_MS would not trust its clock (retention-clock.ts) and purge nothing.
    const config = { retentionDays: 1 };
    const first = await startRig({ file, config });
    await first.sms(deliver(report({ counter: 1, event: 'ALM', ...sentences(START, OLD.lat, OLD.lon) })));
    await first.stop();

    const clock = new ManualClock(START + 2 * DAY);
    const rig = await startRig({ file, clock, config });
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }, undefined, clock.now())));
    // The daily purge starts, and the operator stops the gateway before it is done.
    const purged = rig.core.purgeNow();
    await rig.stop();
    await purged.catch(() => undefined);

    const raw = new Database(file, { readonly: true });
    const fixes = raw.prepare(`SELECT count(*) FROM events WHERE type = 'fix' AND redacted_at IS NOT NULL`).pluck().get() as number;
    const snap = raw.prepare('SELECT body FROM snapshots WHERE name = ?').pluck().get(SNAPSHOT_NAME) as string | undefined;
    raw.close();
    expect(fixes).toBeGreaterThan(0);
    expect(snap ?? '').not.toContain(String(OLD.lat));

    const after = await startRig({ file, clock, config });
    const incident = (await after.core.listIncidents({ state: 'all' }))[0];
    expect(JSON.stringify(incident)).not.toContain(String(OLD.lat));
  });
});
