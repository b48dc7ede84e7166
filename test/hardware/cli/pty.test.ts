// Over a real serial device: socat makes a pty bridged to the handset console's TCP port, and the tool opens
// the pty with node-serialport (hardware/ports), as it would /dev/ttyACM0. Also the launcher, bin/tecsos.mjs,
// run as a child process from the source checkout.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { PtyBridge } from '../../../firmware-sim/transport/pty-bridge.js';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { HANDSET_ID, makeRig } from './rig.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('tecsos over a socat pty and from bin/tecsos.mjs', () => {
  it('provisions a handset through a pty opened with node-serialport', async () => {
    const rig = await makeRig();
    const link = path.join(rig.dir, 'ttyHANDSET');
    const bridge = await PtyBridge.start({ path: link, tcpPort: rig.server.port });
    onTestFinished(() => bridge.close());
    const info = await rig.cli(['info', '--port', link, '--json']);
    expect(info.code, info.stdout).toBe(ExitCode.OK);
    expect(info.json?.['handset']).toMatchObject({ id: HANDSET_ID, provisioned: false });
    rig.pressButton();
    const r = await rig.cli([...rig.provisionArgs(link), '--json']);
    expect(r.code, JSON.stringify(r.json?.['failure'])).toBe(ExitCode.OK);
    expect(r.json).toMatchObject({ reportVerified: true, handset: { id: HANDSET_ID, provisioned: true } });
    expect(rig.handset.firmware.info().provisioned).toBe(true);
  }, 60_000);

  it('bin/tecsos.mjs runs the CLI from the source checkout (tsx), with exit codes', async () => {
    const rig = await makeRig({ gateway: false });
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/tecsos.mjs'), 'info', '--port', rig.spec, '--json'], { cwd: ROOT });
    expect(JSON.parse(stdout)).toMatchObject({ command: 'info', ok: true, exitCode: 0, handset: { id: HANDSET_ID } });
    const bad = await run(process.execPath, [path.join(ROOT, 'bin/tecsos.mjs'), 'info'], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: ExitCode.USAGE });
    expect((bad as { stderr: string }).stderr).toMatch(/--port is required/);
  }, 60_000);
});
