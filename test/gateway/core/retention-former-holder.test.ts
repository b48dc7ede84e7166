// Retention and a re-issued handset (issue 5: "fixes and victim data older than a configured period are
// purged"). The registration carries the holder's record (name, address, safety notes). A handset given to a
// new holder keeps the previous one's record in its earlier registration event; it was kept for ever, in the
// store and its WAL, though nothing shows it any more. It is purged retentionDays after the re-issue; the
// current holder's record is never purged by age.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliver, keepSnapshot, registration, report, startRig, tmpDir } from './harness.js';

const ENGINEER = { username: 'eng', role: 'engineer' } as const;
const DAY = 86_400_000;

describe('retention of a former holder\'s record', () => {
  it('is purged retentionDays after the handset was re-issued; the current holder\'s stays, and a restart rebuilds the same registry', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'tecsos.db');
    const first = registration({ victim: { name: 'FORMER-HOLDER Alice', safetyNotes: 'FORMER-NOTES keys under the mat', riskMarkers: [], address: 'FORMER-ADDRESS 1 Old Road' } });
    const rig = await startRig({ file, register: [first] });
    await rig.sms(deliver(report({ counter: 1, event: 'HBT' })));
    rig.clock.advance(30 * DAY);
    const newKey = new Uint8Array(32).fill(3);
    const second = { ...registration(), key: newKey, replace: true, victim: { name: 'CURRENT Beth', safetyNotes: 'CURRENT-NOTES', riskMarkers: [] } };
    expect(await rig.core.registerHandset(second, ENGINEER)).toMatchObject({ ok: true });

    // Within the retention period of the re-issue: kept.
    rig.clock.advance(364 * DAY);
    await rig.core.purgeNow();
    const raw = (): string => readFileSync(file).toString('latin1') + readFileSync(`${file}-wal`, { flag: 'a+' }).toString('latin1');
    expect(JSON.stringify(await rig.all())).toContain('FORMER-HOLDER Alice');

    // A year after the re-issue: the former holder's record is gone from the log and from the file.
    rig.clock.advance(2 * DAY);
    await rig.core.purgeNow();
    const all = JSON.stringify(await rig.all());
    for (const s of ['FORMER-HOLDER', 'FORMER-NOTES', 'FORMER-ADDRESS']) expect(all).not.toContain(s);
    expect(all).toContain('CURRENT Beth');
    // Audited (by the daily purge that came due).
    const purges = (await rig.store.readAudit(0)).filter((a) => a.action === 'purge').map((a) => a.detail);
    expect(purges.filter((d) => /; cleared victim of 1 superseded handset\.registered event;/.test(String(d ?? '')))).toHaveLength(1);
    const live = JSON.stringify(rig.core.state.registry.snapshot());
    await rig.stop();
    for (const s of ['FORMER-HOLDER', 'FORMER-NOTES', 'FORMER-ADDRESS']) expect(raw()).not.toContain(s);

    // The projections rebuilt from the purged log (not the snapshot the stop saved): the handset with its
    // current holder and key.
    keepSnapshot(file, false);
    const again = await startRig({ file, clock: rig.clock, register: [] });
    const h = again.core.state.registry.get(first.id);
    expect(h?.victim).toMatchObject({ name: 'CURRENT Beth' });
    expect(Buffer.from(h?.key ?? []).toString('hex')).toBe(Buffer.from(newKey).toString('hex'));
    // Exactly the registry the running gateway had (its key's log position, issue time, counters).
    expect(JSON.stringify(again.core.state.registry.snapshot())).toBe(live);
    await again.stop();
  });
});
