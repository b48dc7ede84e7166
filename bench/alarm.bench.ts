// Alarm latency, end to end: the moment a simulated handset's button hold completes (firmware-sim's SimButton
// fires its `alarm` gesture) -> the flagged `call.ringing` (priority tecsos) arrives at a real WebSocket
// console. In between: the handset firmware queues its ALM SMS and dials 999 through its own simulated modem,
// the simulated network (call set-up and SMS delays ZERO) rings a control-room bank modem (SimModem), which
// prints RING/+CLIP over tcp:// to the gateway's real line (gateway/lines: AT engine, call tracker), the core
// decides the priority and stores the event (SQLite file, synchronous=FULL), the fan-out sends it.
//
// Simulated time (one ManualClock for handsets, network, modems and the gateway's lines) moves 1 ms per
// event-loop turn during a measurement, so the figure is the processing and I/O time of the real code, not
// simulated waits. Each alarm: press, measure, then (unmeasured) answer and hang up over the core so the
// handset goes back to tracking and the line is free. BENCH_ALARMS (default 200) alarms over 10 handsets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ModemLineBank } from '../gateway/lines/index.js';
import { fleet, manifestOf } from '../test/support/fleet.js';
import { login } from '../test/support/gateway-process.js';
import { startInProcessGateway } from '../test/support/in-process-gateway.js';
import { simHandset, startSimBank } from '../test/support/sim-bank.js';
import { connect } from '../test/gateway/http/ws-client.js';
import { envNumber, machine, now, summarise, writeResult } from './support/common.js';

const ALARMS = envNumber('BENCH_ALARMS', 200);
const HANDSETS = 10;

async function main(): Promise<void> {
  const conditions = machine();
  console.log(`alarm: ${ALARMS} alarms over ${HANDSETS} simulated handsets, 2 bank modems over tcp://, 1 WebSocket console, radio delays 0; load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);
  const dir = mkdtempSync(path.join(import.meta.dirname, 'results', '.alarm-'));
  const handsets = fleet(HANDSETS);
  const manifest = path.join(dir, 'registry.json');
  writeFileSync(manifest, manifestOf(handsets));
  const bank = await startSimBank({ lines: 2, callSetupMs: 0, seed: 3 });
  const gw = await startInProcessGateway({
    db: path.join(dir, 'tecsos.db'),
    clock: bank.clock,
    registry: manifest,
    lineBank: (specs, listener) => new ModemLineBank({ specs: bank.specs, listener, clock: bank.clock, random: bank.random }),
  });
  try {
    await bank.until('bank lines up', () => gw.app.lines.health().every((h) => h.state === 'up'), 30_000);
    const sims = handsets.map((h) => simHandset(bank, h, bank.numbers[1] as string));
    for (const s of sims) await s.firmware.boot();
    await bank.step(20_000);
    const cookie = await login(gw.url);
    const ws = connect(`${gw.url.replace('http', 'ws')}/ws?since=${await gw.app.store.lastSeq()}`, { cookie, origin: gw.url });
    await ws.until((m) => m['type'] === 'live');

    const latencies: number[] = [];
    const simulatedMs: number[] = [];
    for (let a = 0; a < ALARMS; a++) {
      const k = a % HANDSETS;
      const handset = sims[k]!;
      const number = handsets[k]!.number;
      const before = ws.messages.length;
      let firedAt = 0;
      let firedSim = 0;
      const fired = new Promise<void>((resolve) =>
        handset.button.onEvent((e) => {
          if (e.type === 'alarm' && firedAt === 0) {
            firedAt = now();
            firedSim = bank.clock.now();
            resolve();
          }
        }),
      );
      handset.button.setContact(true);
      await bank.step(1900, 20);
      // The hold completes within the next ~130 simulated ms (debounce 30 ms + hold 2000 ms).
      while (firedAt === 0) await bank.step(1, 1);
      await fired;
      const isRinging = (m: Record<string, unknown>) => m['type'] === 'call.ringing' && m['callerNumber'] === number && m['priority'] === 'tecsos';
      while (!ws.messages.slice(before).some(isRinging)) await bank.step(1, 1);
      const got = now();
      latencies.push(got - firedAt);
      simulatedMs.push(bank.clock.now() - firedSim);
      handset.button.setContact(false);
      // Unmeasured: answer, let the handset see the call active, hang up.
      const ringing = ws.messages.slice(before).find(isRinging)!;
      const callId = String(ringing['callId']);
      const actor = { username: 'handler', role: 'call-handler' } as const;
      await gw.app.core.answer(callId, actor);
      await bank.step(2500);
      await gw.app.core.hangup(callId, actor);
      await bank.step(1500);
      if ((a + 1) % 50 === 0) console.log(`  ${a + 1} alarms: p50 ${summarise(latencies).p50} ms p99 ${summarise(latencies).p99} ms`);
    }
    ws.ws.close();
    const s = summarise(latencies);
    const sim = summarise(simulatedMs);
    console.log(`alarm latency over ${ALARMS} alarms: median ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms (target p99 < 50 ms); simulated ms elapsed median ${sim.p50} (1 per turn)`);
    writeResult('alarm', {
      conditions: { ...conditions, alarms: ALARMS, handsets: HANDSETS, bankLines: 2, consoles: 1, transport: 'tcp:// loopback to SimModem TcpSerialServer', radioDelaysMs: 0, store: 'SQLite file, synchronous=FULL', clock: 'ManualClock, 1 simulated ms per event-loop turn while measuring' },
      target: { p99Ms: 50 },
      latencyMs: s,
      simulatedMsElapsed: sim,
    });
  } finally {
    await gw.close();
    await bank.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
