// The control API drives the running simulation the way a trainer does: a button hold on the emulator makes
// that handset's emergency call ring on a bank line (RING + CLIP on a raw TCP client, as the gateway sees it)
// and its signed ALM report arrive at the bank's number (+CMT, decoded with protocol/sms and protocol/report,
// MAC checked with the manifest's key). Bad input is a 400 and the simulation carries on.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeReport, verifyReportSync } from '../../../protocol/report/index.js';
import { tryDecodeDeliver } from '../../../protocol/sms/index.js';
import type { ControlServer } from '../../../firmware-sim/control/control-server.js';
import type { SimEvent } from '../../../firmware-sim/sim/event-log.js';
import { hmac, LineClient } from '../sim/harness.js';
import { startControlWorld } from './control-world.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world() {
  const w = await startControlWorld(cleanups);
  const line = await LineClient.connect(w.sim.lines[0]?.server?.port as number);
  cleanups.push(() => line.close());
  return { ...w, line };
}

const post = (c: ControlServer, path: string, body: unknown, raw?: string) =>
  fetch(`${c.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });

/** Every +CMT PDU received so far, decoded; concatenated parts joined. */
function texts(received: string): { from: string; text: string }[] {
  const parts = new Map<string, string[]>();
  const out: { from: string; text: string }[] = [];
  for (const m of received.matchAll(/\+CMT: ,\d+\r\n([0-9A-F]+)\r\n/g)) {
    const d = tryDecodeDeliver(m[1] as string);
    if (!d.ok) throw new Error(`undecodable PDU ${m[1]}`);
    const { from, text, concat } = d.value;
    if (concat === undefined) {
      out.push({ from, text });
      continue;
    }
    const key = `${from}/${concat.ref}`;
    const p = parts.get(key) ?? [];
    p[concat.seq - 1] = text;
    parts.set(key, p);
    if (p.filter((x) => x !== undefined).length === concat.total) out.push({ from, text: p.join('') });
  }
  return out;
}

describe('control API', () => {
  it('a button hold makes the handset call 999: RING and +CLIP on bank line 1, and the ALM arrives there, MAC valid', async () => {
    const { sim, control, line, run } = await world();
    await run(500);
    line.send('ATE0;+CLIP=1;+CNMI=2,2,0,0,0\r');
    await line.until(/OK\r\n/, run);
    const from = line.received.length;

    const r = await post(control, '/api/handsets/TS-0002/button', { gesture: 'hold' });
    expect(r.status).toBe(202);

    const clip = await line.until(/RING\r\n\+CLIP: "(\+[0-9]+)",145/, run, from);
    expect(clip[1]).toBe('+447700900102');
    await line.until(/\+CMT: ,\d+\r\n[0-9A-F]+\r\n/, run, from);
    await run(2000);

    const manifest = sim.manifest();
    const key = Buffer.from(manifest.handsets.find((h) => h.id === 'TS-0002')?.key as string, 'hex');
    const alms = texts(line.received.slice(from))
      .filter((t) => t.from === '+447700900102')
      .map((t) => decodeReport(t.text))
      .filter((d) => d.ok && d.event === 'ALM');
    expect(alms).toHaveLength(1);
    const alm = alms[0];
    if (alm === undefined || !alm.ok) throw new Error('no ALM');
    expect(alm.handsetId).toBe('TS-0002');
    expect(verifyReportSync(alm, key, hmac)).toBe(true);
    expect(verifyReportSync(alm, Buffer.alloc(32, 1), hmac)).toBe(false);

    // The handset shows the alarm state; the event log has the ALM and the emergency call on line 1.
    const list = (await (await fetch(`${control.url}/api/handsets`)).json()) as { handsets: { id: string; state: string; battery: number }[] };
    const h2 = list.handsets.find((h) => h.id === 'TS-0002');
    expect(h2?.state).toMatch(/^(calling|alarm)$/);
    expect(h2?.battery).toBeGreaterThan(0);
    const ev = (await (await fetch(`${control.url}/api/events?handset=TS-0002`)).json()) as { events: SimEvent[] };
    expect(ev.events.some((e) => e.type === 'report' && e.event === 'ALM' && e.counter === alm.counter)).toBe(true);
    expect(ev.events.some((e) => e.type === 'call' && e.emergency && e.line === 1 && e.state === 'alerting')).toBe(true);
    expect(ev.events.every((e) => !('handsetId' in e) || e.handsetId === 'TS-0002')).toBe(true);
  });

  it('lists handsets with id, number, state, battery and position', async () => {
    const { control, run } = await world();
    await run(200);
    const body = (await (await fetch(`${control.url}/api/handsets`)).json()) as { handsets: Record<string, unknown>[] };
    expect(body.handsets).toHaveLength(3);
    expect(body.handsets[0]).toMatchObject({ id: 'TS-0001', number: '+447700900101', state: 'idle', battery: 90, provisioned: true, inCoverage: true });
    expect(body.handsets[0]).toHaveProperty('position');
    const one = await fetch(`${control.url}/api/handsets/TS-0003`);
    expect(((await one.json()) as { id: string }).id).toBe('TS-0003');
  });

  it('answers bad input with 400 (or 404 for what does not exist), and keeps running', async () => {
    const { control } = await world();
    const cases: [string, unknown, number, string?][] = [
      ['/api/handsets/TS-0001/button', { gesture: 'smash' }, 400],
      ['/api/handsets/TS-0001/button', {}, 400],
      ['/api/handsets/TS-0001/button', { gesture: 'hold', extra: 1 }, 400],
      ['/api/handsets/TS-0001/button', null, 400, '{"gesture":'],
      ['/api/handsets/TS-0001/button', null, 400, '[1,2,3]'],
      ['/api/handsets/ts%20bad/button', { gesture: 'hold' }, 400],
      ['/api/handsets/TS-9999/button', { gesture: 'hold' }, 404],
      ['/api/handsets/TS-0001/route', { waypoints: [] }, 400],
      ['/api/handsets/TS-0001/route', { waypoints: [{ lat: 91, lon: 0, speedMps: 1 }] }, 400],
      ['/api/handsets/TS-0001/route', { waypoints: [{ lat: 53.8, lon: -1.5, speedMps: 0 }, { lat: 53.9, lon: -1.5, speedMps: 0 }] }, 400],
      ['/api/handsets/TS-0001/coverage', { inCoverage: 'no' }, 400],
      ['/api/network/faults', {}, 400],
      ['/api/network/faults', { loss: 1.5 }, 400],
      ['/api/network/faults', { delayMs: -1 }, 400],
      ['/api/lines/9/fault', { fault: 'reboot' }, 404],
      ['/api/lines/0/fault', { fault: 'reboot' }, 400],
      ['/api/lines/1/fault', { fault: 'explode' }, 400],
      ['/api/lines/1/fault', { fault: 'hang', durationMs: 'long' }, 400],
    ];
    for (const [path, body, status, raw] of cases) {
      const r = await post(control, path, body, raw);
      expect({ path, body, raw, status: r.status }).toEqual({ path, body, raw, status });
      const j = (await r.json()) as { error: string; message: string };
      expect(j.error).toMatch(/^(bad-request|not-found)$/);
    }
    expect((await fetch(`${control.url}/api/events?since=abc`)).status).toBe(400);
    const text = await fetch(`${control.url}/api/handsets/TS-0001/button`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hold' });
    expect(text.status).toBe(400);
    const empty = await fetch(`${control.url}/api/handsets/TS-0001/button`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect((await fetch(`${control.url}/api/nowhere`)).status).toBe(404);
    const big = await post(control, '/api/handsets/TS-0001/route', null, JSON.stringify({ waypoints: Array.from({ length: 5000 }, () => ({ lat: 53.8, lon: -1.5, speedMps: 1 })) }));
    expect(big.status).toBe(413);
    // Still alive and well.
    expect((await fetch(`${control.url}/api/handsets`)).status).toBe(200);
  });

  it('faults: SMS faults, coverage hole, route, line reboot and link drop', async () => {
    const { sim, control, line, run } = await world();
    expect((await post(control, '/api/network/faults', { delayMs: 2000, reorder: 500, loss: 0.1, duplication: 0.2 })).status).toBe(202);
    expect((await post(control, '/api/handsets/TS-0001/coverage', { inCoverage: false })).status).toBe(202);
    expect(sim.network.radio('+447700900101').registration).toBe('searching');
    expect(sim.views()[0]?.inCoverage).toBe(false);
    const route = { waypoints: [{ lat: 53.7957, lon: -1.5465, speedMps: 1.4 }, { lat: 53.7959, lon: -1.5427, speedMps: 0 }] };
    expect((await post(control, '/api/handsets/TS-0001/route', route)).status).toBe(202);
    expect(sim.handsets.get('TS-0001')?.device.gps.truth()?.lat).toBeCloseTo(53.7957, 6);
    expect((await post(control, '/api/handsets/TS-0002/route', { route: { waypoints: [{ lat: 53.8, lon: -1.55, speedMps: 0 }] } })).status).toBe(202);
    expect(sim.handsets.get('TS-0002')?.device.gps.truth()?.lat).toBeCloseTo(53.8, 6);

    const from = line.received.length;
    expect((await post(control, '/api/lines/1/fault', { fault: 'reboot' })).status).toBe(202);
    await line.until(/RDY\r\n/, run, from);
    expect((await post(control, '/api/lines/1/fault', { fault: 'drop' })).status).toBe(202);
    await new Promise<void>((resolve) => (line.socket.destroyed ? resolve() : line.socket.once('close', () => resolve())));
    const lines = (await (await fetch(`${control.url}/api/lines`)).json()) as { lines: { line: number; connected: boolean }[] };
    expect(lines.lines[0]).toMatchObject({ line: 1, connected: false });

    const ev = (await (await fetch(`${control.url}/api/events`)).json()) as { events: SimEvent[] };
    const faults = ev.events.filter((e) => e.type === 'control').map((e) => (e.type === 'control' ? `${e.target}: ${e.detail}` : ''));
    expect(faults).toEqual(expect.arrayContaining(['TS-0001: coverage hole', 'line 1: reboot', 'line 1: drop']));
  });

  it('serves the emulator page with a big labelled button per handset', async () => {
    const { control } = await world();
    const page = await fetch(`${control.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<script src="/emulator.js"></script>');
    expect(html).toContain('aria-live');
    const js = await (await fetch(`${control.url}/emulator.js`)).text();
    expect(js).toContain("'/api/handsets/'");
    expect(js).not.toContain('innerHTML');
  });
});
