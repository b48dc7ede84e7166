// POST /api/handsets/:id/route takes "a list of waypoints with speed" (issue 4) in the forms a trainer or a
// script writes it: the scenario file's {"waypoints":[...]}, the waypoints alone, {"route":[...]}, and a
// standing point without a speed (the last waypoint's speed is never used). Before, the last three were 400s.
import { afterEach, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../firmware-sim/control/control-server.js';
import { startSim } from '../sim/harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const post = (c: ControlServer, path: string, body: unknown) =>
  fetch(`${c.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /api/handsets/:id/route body forms', () => {
  it('the waypoints alone, {"route":[...]} and a standing point without speedMps move the handset there', async () => {
    const s = await startSim();
    cleanups.push(() => s.sim.close());
    const control = await startControlServer(s.sim, { port: 0 });
    cleanups.push(() => control.close());
    const lat = (id: string) => s.sim.handsets.get(id)?.device.gps.truth()?.lat;

    const walk = [{ lat: 53.7957, lon: -1.5465, speedMps: 1.4 }, { lat: 53.7959, lon: -1.5427 }];
    expect((await post(control, '/api/handsets/TS-0001/route', walk)).status).toBe(202);
    expect(lat('TS-0001')).toBeCloseTo(53.7957, 6);
    expect((await post(control, '/api/handsets/TS-0002/route', { route: [{ lat: 53.81, lon: -1.55 }] })).status).toBe(202);
    expect(lat('TS-0002')).toBeCloseTo(53.81, 6);
    expect((await post(control, '/api/handsets/TS-0003/route', { waypoints: [{ lat: 53.82, lon: -1.56 }] })).status).toBe(202);
    expect(lat('TS-0003')).toBeCloseTo(53.82, 6);

    // A waypoint that is not the last still needs a speed to reach the next one: a 400 naming it.
    const r = await post(control, '/api/handsets/TS-0001/route', [{ lat: 53.8, lon: -1.5 }, { lat: 53.9, lon: -1.5 }]);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/waypoints\.0\.speedMps/);
  });
});
