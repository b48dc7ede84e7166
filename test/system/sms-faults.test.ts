// SMS faults on the simulated GSM network (firmware-sim's SMSC rules): every part of every report is
// duplicated with probability 0.5, delayed 2 s plus up to 40 s at random (so parts of one report and whole
// reports overtake each other), and the whole gateway (core, SQLite store, WebSocket edge) takes them through
// lines attached to the network (test/gateway/e2e/network-line-bank.ts). Each report must be stored exactly
// once, with the position its handset sent; every extra copy is a `duplicate` rejection (a part received
// twice, or a whole report seen twice), never an incident of its own and never a second fix.
// A whole report seen twice: after the stream, some reports are delivered again once the reassembler has
// forgotten them (10 min after completion; a real SMSC retries for hours when its delivery receipt is lost),
// so only the anti-replay window can tell them from new reports: each must be one `duplicate` naming its
// handset and counter, and change nothing else. The network's copies are byte-identical, so no duplicate is
// reported as a copy "with a different text" (what a forgery looks like to an operator).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/time/clock.js';
import { SeededRandom } from '../../protocol/time/random.js';
import { SimNetwork } from '../../firmware-sim/network/index.js';
import { fleet, positionOf, registrationOf, reportText, submitParts } from '../support/fleet.js';
import { readAll, startInProcessGateway } from '../support/in-process-gateway.js';
import { tmpDir } from '../gateway/core/harness.js';
import { NetworkLineBank } from '../gateway/e2e/network-line-bank.js';

const GATEWAY_NUMBER = '+441632960001';
const HANDSETS = 10;
const REPORTS_EACH = 30;
/** Counters delivered again, for every handset, after the reassembler forgot them (within the 64-report window). */
const RESENT_COUNTERS = [3, 17];

describe('SMS faults: duplicated, reordered and delayed parts', () => {
  it('stores each report exactly once, with its own position', async () => {
    const dir = tmpDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
    const network = new SimNetwork({ clock, random: new SeededRandom(21), emergencyLines: [GATEWAY_NUMBER] });
    network.setSmsRules({ delayMs: 2000, reorderMs: 40_000, duplicateProbability: 0.5, lossProbability: 0 });
    const gw = await startInProcessGateway({
      db: path.join(dir, 'tecsos.db'),
      clock,
      lineBank: (_specs, listener) => new NetworkLineBank(network, [GATEWAY_NUMBER], listener, clock),
    });
    try {
      const handsets = fleet(HANDSETS);
      await gw.app.core.importRegistrations(handsets.map((h) => registrationOf(h)));
      let duplicatedCopies = 0;
      let deliveredParts = 0;
      network.onEvent((e) => {
        if (e.type === 'sms-duplicated') duplicatedCopies++;
        if (e.type === 'sms-delivered') deliveredParts++;
      });
      // Every handset reports every 10 s; the network scrambles the parts.
      const kept = new Map<string, { from: string; parts: ReturnType<typeof submitParts> }>();
      for (let n = 1; n <= REPORTS_EACH; n++) {
        for (const h of handsets) {
          const parts = submitParts(GATEWAY_NUMBER, reportText(h, n, clock.now(), n === 1 ? 'ALM' : 'TRK'), n);
          if (RESENT_COUNTERS.includes(n)) kept.set(`${h.id}:${n}`, { from: h.number, parts });
          for (const part of parts) {
            expect(network.submitFromOutside(h.number, GATEWAY_NUMBER, part).ok).toBe(true);
          }
        }
        await clock.advanceAsync(10_000, 500);
      }
      while (network.smsPending > 0) await clock.advanceAsync(5000, 500);
      await gw.app.core.idle();
      // Whole reports again, byte for byte, 11 min later: the reassembler no longer knows them.
      await clock.advanceAsync(11 * 60_000, 5000);
      for (const { from, parts } of kept.values()) for (const part of parts) expect(network.submitFromOutside(from, GATEWAY_NUMBER, part).ok).toBe(true);
      while (network.smsPending > 0) await clock.advanceAsync(5000, 500);
      await gw.app.core.idle();

      const all = await readAll(gw.app.store);
      const accepted = all.filter((e) => e.event.type === 'report.accepted').map((e) => e.event);
      const rejected = all.filter((e) => e.event.type === 'report.rejected').map((e) => e.event);
      const fixes = all.filter((e) => e.event.type === 'fix').map((e) => e.event);
      // The faults really happened: many duplicate copies, and reports completed out of order.
      expect(duplicatedCopies).toBeGreaterThan(HANDSETS * REPORTS_EACH * 2 * 0.4);
      expect(deliveredParts).toBe((HANDSETS * REPORTS_EACH + kept.size) * 2 + duplicatedCopies);
      const order = accepted.filter((e) => e['handsetId'] === handsets[0]!.id).map((e) => e['counter'] as number);
      expect(order).not.toEqual([...order].sort((a, b) => a - b));

      // Exactly once each.
      const keys = accepted.map((e) => `${String(e['handsetId'])}:${String(e['counter'])}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(HANDSETS * REPORTS_EACH);
      // Every extra copy is a counted duplicate, nothing else: each network copy of a part once, each whole
      // report delivered again once, by the anti-replay window, which names it.
      expect(new Set(rejected.map((e) => e['reason']))).toEqual(new Set(['duplicate']));
      expect(rejected.length).toBe(duplicatedCopies + kept.size);
      const wholeAgain = rejected.filter((e) => e['counter'] !== null).map((e) => `${String(e['claimedHandsetId'])}:${String(e['counter'])}`);
      expect(wholeAgain.sort()).toEqual([...kept.keys()].sort());
      expect(rejected.filter((e) => String(e['detail']).includes('different text'))).toEqual([]);
      // One fix per report, at the position that handset sent with that counter.
      expect(fixes).toHaveLength(keys.length);
      for (const f of fixes) {
        const h = handsets.find((x) => x.id === f['handsetId'])!;
        const p = positionOf(h, f['reportCounter'] as number);
        expect(f['lat']).toBeCloseTo(p.lat, 5);
        expect(f['lon']).toBeCloseTo(p.lon, 5);
      }
      // One incident per handset (the ALM opened it, whenever it arrived; TRKs joined).
      expect(all.filter((e) => e.event.type === 'incident.opened')).toHaveLength(HANDSETS);
    } finally {
      await gw.close();
    }
  }, 120_000);
});
