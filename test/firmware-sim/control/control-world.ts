// The world the control API tests share: a simulation under a ManualClock with its control server on a free
// port, both closed by the test file's afterEach (through `cleanups`, last opened first closed).
import { startControlServer } from '../../../firmware-sim/control/control-server.js';
import { startSim } from '../sim/harness.js';

export async function startControlWorld(cleanups: (() => unknown)[]) {
  const s = await startSim();
  cleanups.push(() => s.sim.close());
  const control = await startControlServer(s.sim, { port: 0 });
  cleanups.push(() => control.close());
  /** The simulator's state of one handset ('idle', 'alarm', ...), as the emulator page shows it. */
  const state = (id: string) => s.sim.views().find((h) => h.id === id)?.state;
  return { ...s, control, state };
}
