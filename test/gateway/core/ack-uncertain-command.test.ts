// An ACK names no command: it settles a command waiting for the handset's ACK (core/pending-commands.ts). A
// command recorded sent although it may not have left (`uncertain:`, a line that failed after the modem was given
// it, or a crash before its outcome was stored) must not take the ACK of a command sent after it that surely left:
// when it never reached the handset, her incident read stopped by the handset while she tracked, or the handler's
// second STOP read timed out although the handset had acknowledged it.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { consoleOf, deliver, keepSnapshot, report, startRig, tmpDir, type Rig } from './harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const UNCERTAIN = { ok: false, detail: 'closed: engine closed', uncertain: true, lineId: 'L1' } as const;
const SENT = { ok: true, detail: '+CMGS: 8', lineId: 'L1' } as const;

async function alarm(): Promise<{ rig: Rig; id: string }> {
  const rig = await startRig();
  await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), undefined, 1));
  return { rig, id: rig.ofType('incident.opened')[0]?.['incidentId'] as string };
}

const results = (rig: Rig) => rig.ofType('command.result').filter((e) => e['result'] !== 'sent').map((e) => e['result']);
const ack = (rig: Rig, n: number) => rig.sms(deliver(report({ counter: n, event: 'ACK' }), undefined, n));

describe('a command that may not have left, then one that surely left', () => {
  it('a STOP that never left, then Fresh fix: the LOCATE ACK does not show her incident stopped', async () => {
    const { rig, id } = await alarm();
    rig.lines.sendResult = UNCERTAIN;
    expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: false, error: 'unavailable' });
    rig.lines.sendResult = SENT;
    expect(await rig.core.locate(id, HANDLER)).toMatchObject({ ok: true });
    await ack(rig, 2);
    expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
    expect(rig.core.state.incidents.get(id)?.tracking).toBe(true);
    expect(consoleOf(rig).lastCommand('TS-0001', 'LOCATE', id)?.result?.result).toBe('acknowledged');
    await rig.stop();
  });

  it('a STOP that never left, then Stop tracking again: the second STOP reads acknowledged, not timed out', async () => {
    const { rig, id } = await alarm();
    rig.lines.sendResult = UNCERTAIN;
    await rig.core.stopTracking(id, HANDLER);
    rig.lines.sendResult = SENT;
    expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: true });
    await ack(rig, 2);
    rig.clock.advance(20 * 60_000);
    await rig.core.idle();
    expect(consoleOf(rig).lastCommand('TS-0001', 'STOP', id)?.result?.result).toBe('acknowledged');
    expect(rig.ofType('incident.tracking-stopped').map((e) => e['reason'])).toEqual(['handler', 'handset']);
    await rig.stop();
  });

  it('a STOP that did leave, then Fresh fix: both acknowledged, her incident reads stopped by the handset', async () => {
    const { rig, id } = await alarm();
    rig.lines.sendResult = UNCERTAIN;
    await rig.core.stopTracking(id, HANDLER);
    rig.lines.sendResult = SENT;
    await rig.core.locate(id, HANDLER);
    await ack(rig, 2); // the STOP's
    await ack(rig, 3); // the LOCATE's
    expect(results(rig)).toEqual(['acknowledged', 'acknowledged']);
    expect(rig.ofType('incident.tracking-stopped').map((e) => e['reason'])).toEqual(['handset']);
    expect(rig.core.state.incidents.get(id)?.tracking).toBe(false);
    await rig.stop();
  });

  it('the mark survives a restart from the snapshot (and from the log)', async () => {
    for (const keep of [true, false]) {
      const file = path.join(tmpDir(), 'tecsos.db');
      const first = await startRig({ file });
      await first.sms(deliver(report({ counter: 1, event: 'ALM' }), undefined, 1));
      const id = first.ofType('incident.opened')[0]?.['incidentId'] as string;
      first.lines.sendResult = UNCERTAIN;
      await first.core.stopTracking(id, HANDLER);
      await first.stop();
      keepSnapshot(file, keep);
      const rig = await startRig({ file, register: [], clock: first.clock });
      await rig.core.locate(id, HANDLER);
      await ack(rig, 2);
      expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
      expect(rig.core.state.incidents.get(id)?.tracking).toBe(true);
      await rig.stop();
    }
  });
});
