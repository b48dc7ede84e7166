// The last step of "nothing lost": an SMS is released (deleted from the modem's SIM) only once its events are
// durable, and what goes wrong around that release must neither lose the SMS nor stop the gateway.
// - At the moment of the release the part is already on disk (a kill right after it finds the part stored).
// - A release that fails (AT+CMGD refused, the line went down) leaves the SMS on the modem, to be read again
//   and seen as a duplicate; it is a warning, not a fault: the gateway goes on storing and releasing others.
// - A decision that makes an event the store refuses (STORE_BAD_EVENT: a bug) still stores the raw SMS and
//   releases it: not stored, it would be lost once released; not released, it would be read again at every
//   scan and fill the SIM.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportPipeline } from '../../../gateway/reports/report-pipeline.js';
import type { IncomingSms } from '../../../gateway/lines/types.js';
import { deliver, report, startRig, tmpDir, type Rig } from './harness.js';

/** Hands `pdus` to the core as line L1 would, each with its own release; resolves once they are stored. */
async function feed(rig: Rig, pdus: readonly string[], release: (i: number) => Promise<void>): Promise<void> {
  pdus.forEach((pdu, i) => {
    const sms: IncomingSms = { lineId: 'L1', pdu, index: i, receivedAt: rig.clock.now(), release: () => release(i) };
    rig.core.onSms(sms);
  });
  await rig.core.idle();
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('releasing a stored SMS', () => {
  it('is released only once its part is on disk: a kill right after the release loses nothing', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const rig = await startRig({ file });
    const pdus = deliver(report({ counter: 1, event: 'ALM' }), undefined, 1);
    // What a gateway killed at the moment of the release would find at its restart: the committed rows.
    const onDisk: string[][] = [];
    await feed(rig, pdus, async () => {
      const db = new Database(file, { readonly: true });
      try {
        onDisk.push(db.prepare("SELECT json_extract(body, '$.pdu') AS pdu FROM events WHERE type = 'sms.received'").pluck().all() as string[]);
      } finally {
        db.close();
      }
    });
    expect(onDisk).toHaveLength(2);
    for (const rows of onDisk) expect(rows).toEqual(expect.arrayContaining([...pdus]));
  });

  it('a release the modem refuses is only a warning: the report is kept and the next SMS is stored and released', async () => {
    const rig = await startRig();
    const failures: number[] = [];
    await feed(rig, deliver(report({ counter: 1, event: 'ALM' }), undefined, 1), async (i) => {
      failures.push(i);
      throw new Error('L1: SMS not deleted (line down); it stays on the modem');
    });
    expect(failures).toEqual([0, 1]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
    expect(rig.core.health().storeOk).toBe(true);

    const released = await rig.sms(deliver(report({ counter: 2, event: 'TRK' }), undefined, 2));
    expect(released).toEqual([true, true]);
    expect(rig.ofType('report.accepted').map((e) => e['counter'])).toEqual([1, 2]);
    expect(rig.errors).toEqual([]);
  });

  it('an event the store refuses (a bug): the raw SMS is still stored, then released; the next report is accepted', async () => {
    const rig = await startRig();
    const original = ReportPipeline.prototype.partEvents;
    const spy = vi.spyOn(ReportPipeline.prototype, 'partEvents').mockImplementationOnce(function (this: ReportPipeline, pdu, receivedAt) {
      // The first part's events, plus one that is not JSON (a BigInt): the store refuses the whole decision.
      return [...original.call(this, pdu, receivedAt), { type: 'report.rejected', at: new Date(receivedAt).toISOString(), detail: 1n }];
    });
    const [p1, p2] = deliver(report({ counter: 1, event: 'ALM' }), undefined, 1);
    const released = await rig.sms([p1!]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(released).toEqual([true]);
    expect((await rig.all()).map((e) => e.event.type)).toEqual(['handset.registered', 'sms.received']);
    expect(rig.errors.join('\n')).toMatch(/cannot be stored \(a bug\); stored raw only/);
    expect(rig.core.health().storeOk).toBe(true);

    // The store took the raw part: the second part completes the report with it.
    expect(await rig.sms([p2!])).toEqual([true]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 1, event: 'ALM' }]);
  });
});
