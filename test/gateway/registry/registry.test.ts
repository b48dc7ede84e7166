// The registry: REST registration rules and the manifest import (`--registry PATH`), which changes nothing
// the second time.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest, readManifest } from '../../../gateway/registry/manifest.js';
import { KEY, registration, startRig, tmpDir } from '../core/harness.js';

const ENGINEER = { username: 'eng', role: 'engineer' } as const;

function manifestJson() {
  return {
    version: 1,
    handsets: [
      { id: 'TS-0001', number: '+447700900123', imei: '356938035643809', key: Buffer.from(KEY).toString('hex'), force: 'Met', victim: { name: 'A', safetyNotes: '', riskMarkers: [] } },
      { id: 'TS-0002', number: '+447700900124', imei: '356938035643817', key: Buffer.from(KEY).toString('base64url'), force: 'Met', victim: { name: 'B', safetyNotes: 'deaf', riskMarkers: ['children-present'] }, testMode: true },
    ],
  };
}

describe('manifest import', () => {
  it('a manifest that is not JSON is refused without quoting its text (part of a key, a victim record)', () => {
    // V8's JSON.parse message quotes about ten characters either side of the error; the message goes to the
    // terminal and the service journal, which more people read than the 0600 manifest.
    const file = path.join(tmpDir(), 'bad.json');
    const key = '34400abdf75d002e9eeb15f19dc6af12cfb98987489d57068ce52555cfcf90c8';
    writeFileSync(file, `{"version":1,"handsets":[{"id":"TS-0001","key":'${key}',"victim":{"name":"Jane Doe","address":'12 Acacia Avenue'}}]}`);
    let err: unknown;
    try {
      readManifest(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/is not valid JSON: Unexpected token/);
    expect(msg).not.toContain(key.slice(0, 4));
    expect(msg).not.toContain('"key"');
  });

  it('a manifest saved with a byte order mark is read; one that is not UTF-8 is refused, not stored with U+FFFD', () => {
    const dir = tmpDir();
    const bom = path.join(dir, 'bom.json');
    writeFileSync(bom, `\uFEFF${JSON.stringify(manifestJson())}`);
    expect(readManifest(bom).map((h) => h.id)).toEqual(['TS-0001', 'TS-0002']);
    const m = manifestJson();
    (m.handsets[0] as { victim: { name: string } }).victim.name = 'Zo\u00eb Smith';
    const latin1 = path.join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.from(JSON.stringify(m), 'latin1'));
    expect(() => readManifest(latin1)).toThrow(/is not UTF-8 text/);
  });

  it('a device given as the manifest is refused once past the size limit, not read for ever', () => {
    // Before, --registry /dev/zero grew the gateway past 3.8 GB in a minute and it never started. The limit is
    // 256 MiB; 1 MiB here keeps the test small.
    expect(() => readManifest('/dev/zero', 1024 * 1024)).toThrow(/handset manifest \/dev\/zero is larger than 1048576 bytes/);
  });

  it('importing the same manifest twice changes nothing', async () => {
    const file = path.join(tmpDir(), 'sim-registry.json');
    writeFileSync(file, JSON.stringify(manifestJson()));
    const rig = await startRig({ register: [] });
    expect(await rig.core.importRegistrations(readManifest(file))).toEqual({ registered: 2, unchanged: 0, conflicts: [] });
    const seq = await rig.store.lastSeq();
    expect(await rig.core.importRegistrations(readManifest(file))).toEqual({ registered: 0, unchanged: 2, conflicts: [] });
    expect(await rig.store.lastSeq()).toBe(seq);
    expect((await rig.core.listHandsets()).map((h) => [h.id, h.testMode])).toEqual([['TS-0001', false], ['TS-0002', true]]);
  });

  it('registers a whole manifest in one append; a number given to two handsets is refused for the second', async () => {
    const rig = await startRig({ register: [] });
    const m = manifestJson();
    const clash = { ...m.handsets[1], id: 'TS-0003', number: '+447700900124' };
    const before = rig.store.stats().transactions;
    const r = await rig.core.importRegistrations(parseManifest({ ...m, handsets: [...m.handsets, clash] }));
    expect(rig.store.stats().transactions - before).toBe(1);
    expect(r).toMatchObject({ registered: 2, unchanged: 0 });
    expect(r.conflicts).toEqual(['TS-0003: number +447700900124 is also given to TS-0002']);
    expect((await rig.all()).filter((e) => e.event.type === 'handset.registered')).toHaveLength(2);
  });

  it('a changed entry without replace is refused, not applied', async () => {
    const rig = await startRig({ register: [] });
    await rig.core.importRegistrations(parseManifest(manifestJson()));
    const changed = manifestJson();
    (changed.handsets[0] as { force: string }).force = 'Kent';
    const r = await rig.core.importRegistrations(parseManifest(changed));
    expect(r.conflicts).toHaveLength(1);
    expect((await rig.core.listHandsets())[0]?.force).toBe('Met');
  });

  it('a bad manifest names the entry and field', () => {
    const bad = manifestJson();
    (bad.handsets[1] as { imei: string }).imei = '12';
    expect(() => parseManifest(bad, 'x.json')).toThrow(ManifestError);
    expect(() => parseManifest(bad, 'x.json')).toThrow(/handsets\.1\.imei/);
    expect(() => parseManifest({ version: 2, handsets: [] })).toThrow(/version/);
  });

  it('an entry may carry the registration body\'s version v: 1, as over REST; another v is refused naming it', () => {
    const m = manifestJson();
    const withV = { ...m, handsets: m.handsets.map((h) => ({ v: 1, ...h })) };
    expect(parseManifest(withV).map((h) => h.id)).toEqual(parseManifest(m).map((h) => h.id));
    expect(JSON.stringify(parseManifest(withV))).not.toContain('"v"');
    expect(() => parseManifest({ ...m, handsets: m.handsets.map((h) => ({ v: 2, ...h })) }, 'x.json')).toThrow(/handsets\.0: Unrecognized key: "v"/);
  });
});

describe('REST registration', () => {
  it('registers, refuses a taken id or number, re-registers with replace', async () => {
    const rig = await startRig({ register: [] });
    const ok = await rig.core.registerHandset(registration(), ENGINEER);
    expect(ok).toMatchObject({ ok: true, handset: { id: 'TS-0001', number: '+447700900123', batteryPct: null } });
    expect(JSON.stringify(ok)).not.toMatch(/key|Jane/i);
    const taken = await rig.core.registerHandset(registration({ force: 'Kent' }), ENGINEER);
    expect(taken).toMatchObject({ ok: false, error: 'conflict' });
    const sameNumber = await rig.core.registerHandset(registration({ id: 'TS-0002', imei: '356938035643817' }), ENGINEER);
    expect(sameNumber).toMatchObject({ ok: false, error: 'conflict' });
    const replaced = await rig.core.registerHandset(registration({ force: 'Kent', replace: true }), ENGINEER);
    expect(replaced).toMatchObject({ ok: true, handset: { force: 'Kent' } });
  });
});
