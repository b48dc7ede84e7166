// A registered handset is `untested` in GET /api/handsets until the gateway accepts a report signed with its
// current key, and shows the last report refused in its name since its registration (why a test report did not
// count). Before, a handset whose provisioning test report failed was listed exactly like a working one, and an
// engineer could not see the refusal (report.* events do not reach engineers). A new key (re-issue) makes it
// untested again; a restart (log replay, or snapshot) keeps `untested`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliver, HANDSET_ID, keepSnapshot, report, startRig, tmpDir, WRONG_KEY, registration } from '../core/harness.js';

const ENGINEER = { username: 'eng', role: 'engineer' } as const;

describe('untested handsets and the last refusal', () => {
  it.each([['the log', false], ['a snapshot', true]])('untested until a report counts; a new key is untested again (restart from %s)', async (_how, snapshot) => {
    const file = path.join(tmpDir(), 'tecsos.db');
    let rig = await startRig({ file });
    const view = async () => (await rig.core.listHandsets()).find((h) => h.id === HANDSET_ID);
    expect(await view()).toMatchObject({ untested: true, lastRejection: null });

    await rig.sms(deliver(report({ counter: 1, event: 'TST' }, WRONG_KEY)));
    expect(await view()).toMatchObject({ untested: true, lastRejection: { reason: 'bad-mac', detail: `MAC does not match the key of ${HANDSET_ID}` } });

    await rig.sms(deliver(report({ counter: 2, event: 'TST' }), undefined, 8));
    expect(await view()).toMatchObject({ untested: false });

    await rig.stop();
    keepSnapshot(file, snapshot);
    rig = await startRig({ file, register: [] });
    expect(await view()).toMatchObject({ untested: false });

    const reissued = await rig.core.registerHandset(registration({ key: new Uint8Array(32).fill(3), replace: true }), ENGINEER);
    expect(reissued.ok).toBe(true);
    expect(await view()).toMatchObject({ untested: true, lastRejection: null });
  });
});
