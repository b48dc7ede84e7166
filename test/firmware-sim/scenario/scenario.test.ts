// Scenario files replay exactly: the demo walk under a ManualClock with the same seed gives the same reports,
// text for text (counters, positions, MACs), and its alarm falls 20 s in. Bad files name the step and field.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReport, verifyReportSync } from '../../../protocol/report/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { distanceM } from '../../../firmware-sim/gps/geo.js';
import { checkScenario, playScenario } from '../../../firmware-sim/scenario/player.js';
import { loadScenario, parseScenario, ScenarioError, type Scenario } from '../../../firmware-sim/scenario/scenario.js';
import { parseSimConfig } from '../../../firmware-sim/sim/config.js';
import { Simulation } from '../../../firmware-sim/sim/simulation.js';

const START = Date.UTC(2026, 10, 23, 7, 0, 0);
const DEMO = join(import.meta.dirname, '../../../firmware-sim/scenarios/demo-walk.json');
const hmac = (key: Uint8Array, m: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(m).digest());

/** Plays `scenario` for `seconds` of simulated time; returns what every handset sent and when. */
async function replay(scenario: Scenario, seed: number, seconds: number) {
  const clock = new ManualClock(START);
  const sim = await Simulation.start({ config: parseSimConfig({ seed }), clock, listen: false });
  const run = playScenario(sim, scenario);
  await clock.advanceAsync(seconds * 1000, 50);
  await sim.close();
  const reports = sim.events.since(0, 5000).flatMap((e) => (e.type === 'report' ? [{ at: e.at - START, text: e.text }] : []));
  const calls = sim.events.since(0, 5000).flatMap((e) => (e.type === 'call' ? [`${e.at - START} ${e.state} line ${e.line ?? '-'}`] : []));
  return { sim, reports, calls, stepsRun: run.stepsRun() };
}

describe('scenario replay', () => {
  it('the demo walk replays identically with the same seed: same reports at the same times, same calls', async () => {
    const scenario = loadScenario(DEMO);
    const a = await replay(scenario, 7, 150);
    const b = await replay(scenario, 7, 150);
    expect(a.stepsRun).toBe(3);
    expect(a.reports.length).toBeGreaterThanOrEqual(6); // 3 BOT, ALM, TRKs
    expect(b.reports).toEqual(a.reports);
    expect(b.calls).toEqual(a.calls);

    // What the run contains: the ALM right after the 2 s hold that starts 20 s in, MAC valid with the
    // manifest key; the emergency call on bank line 1; TRK fixes within metres of the walk.
    const key = Buffer.from(a.sim.manifest().handsets[0]?.key as string, 'hex');
    const decoded = a.reports.map((r) => ({ at: r.at, d: decodeReport(r.text) }));
    const alm = decoded.find((r) => r.d.ok && r.d.event === 'ALM');
    expect(alm?.at).toBeGreaterThanOrEqual(22_000);
    expect(alm?.at).toBeLessThan(25_000);
    for (const r of decoded) {
      if (!r.d.ok) throw new Error('a report that does not decode');
      if (r.d.handsetId === 'TS-0001') expect(verifyReportSync(r.d, key, hmac)).toBe(true);
    }
    expect(a.calls.some((c) => /alerting line 1$/.test(c))).toBe(true);
    const trks = a.sim.events.since(0, 5000).filter((e) => e.type === 'report' && e.event === 'TRK');
    expect(trks.length).toBeGreaterThanOrEqual(2);
    const gps = a.sim.handsets.get('TS-0001')?.device.gps;
    for (const t of trks) {
      if (t.type !== 'report' || t.position === null) continue;
      // The fix in the report is of the second before it was sent.
      const truth = gps?.truth(Math.floor(t.at / 1000) * 1000) ?? { lat: 0, lon: 0 };
      expect(distanceM(t.position, truth)).toBeLessThan(5);
    }
  });

  it('another seed gives another run (keys, MACs)', async () => {
    const scenario = loadScenario(DEMO);
    const a = await replay(scenario, 7, 30);
    const b = await replay(scenario, 8, 30);
    expect(b.reports.map((r) => r.text)).not.toEqual(a.reports.map((r) => r.text));
  });

  it('runs steps at their times, ties in file order, and faults through the same controls as the API', async () => {
    const clock = new ManualClock(START);
    const sim = await Simulation.start({ config: parseSimConfig({}), clock, listen: false });
    const scenario = parseScenario({
      name: 't',
      steps: [
        { atS: 5, action: 'line', line: 2, fault: 'hang', durationMs: 1000 },
        { atS: 1, action: 'coverage', handset: 'TS-0002', inCoverage: false },
        { atS: 1, action: 'network', faults: { loss: 0.5, down: true } },
        { atS: 3, action: 'network', faults: { down: false } },
      ],
    });
    const run = playScenario(sim, scenario);
    await clock.advanceAsync(999, 50);
    expect(run.stepsRun()).toBe(0);
    await clock.advanceAsync(1, 1);
    expect(run.stepsRun()).toBe(2);
    expect(sim.network.radio('+447700900102').registration).toBe('searching');
    await clock.advanceAsync(4000, 50);
    expect(sim.lines[1]?.modem.isHung).toBe(true);
    await clock.advanceAsync(1000, 50);
    expect(sim.lines[1]?.modem.isHung).toBe(false);
    await run.done;
    const faults = sim.events.since(0).flatMap((e) => (e.type === 'control' ? [`${e.at - START} ${e.target}: ${e.detail}`] : []));
    expect(faults.filter((f) => !f.startsWith('0 '))).toEqual([
      '1000 TS-0002: coverage hole',
      '1000 network: sms faults {"loss":0.5}',
      '1000 network: network down',
      '3000 network: network up',
      '5000 line 2: hang 1000 ms',
    ]);
    await sim.close();
  });

  it('refuses a bad scenario, naming the step and field', async () => {
    const bad = (json: unknown) => {
      try {
        parseScenario(json, 'x.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ name: 'x', steps: [{ atS: -1, action: 'button', handset: 'TS-0001', gesture: 'hold' }] })).toMatch(/steps\.0\.atS/);
    expect(bad({ name: 'x', steps: [{ atS: 1, action: 'button', handset: 'TS-0001', gesture: 'kick' }] })).toMatch(/steps\.0\.gesture/);
    expect(bad({ name: 'x', steps: [{ atS: 1, action: 'dance' }] })).toMatch(/steps\.0\.action/);
    expect(bad({ name: 'x', steps: [{ atS: 1, action: 'route', handset: 'TS-0001', route: { waypoints: [] } }] })).toMatch(/steps\.0\.route\.waypoints/);
    expect(() => loadScenario('/nonexistent/scenario.json')).toThrow(/cannot read scenario \/nonexistent\/scenario\.json/);

    const sim = await Simulation.start({ config: parseSimConfig({}), clock: new ManualClock(START), listen: false });
    expect(() => checkScenario(parseScenario({ name: 'x', steps: [{ atS: 1, action: 'button', handset: 'TS-0009', gesture: 'hold' }] }), sim)).toThrow(/steps\.0\.handset: no handset TS-0009/);
    expect(() => checkScenario(parseScenario({ name: 'x', steps: [{ atS: 1, action: 'line', line: 5, fault: 'drop' }] }), sim)).toThrow(/steps\.0\.line: the bank has lines 1\.\.4/);
    await sim.close();
  });

  it('the demo walk is in central Leeds, at walking pace', () => {
    const s = loadScenario(DEMO);
    const route = s.steps.find((x) => x.action === 'route');
    if (route?.action !== 'route') throw new Error('no route');
    for (const w of route.route.waypoints) expect(distanceM(w, { lat: 53.7965, lon: -1.5431 })).toBeLessThan(1500);
    for (const w of route.route.waypoints.slice(0, -1)) expect(w.speedMps).toBe(1.4);
    expect(s.steps.find((x) => x.action === 'button')).toMatchObject({ atS: 20, gesture: 'hold', handset: 'TS-0001' });
  });
});
