// Ctrl-C (SIGINT, or SIGTERM/SIGHUP: a closed terminal) while tecsos provision runs. Between AT+TSCOMMIT and
// the gateway's registration the handset holds a key and a gateway number the gateway does not know; the
// process used to die there at once (the engineer tired of the "press the button" wait), leaving exactly the
// half-provisioned handset the tool exists to prevent, with no message. Now the first interrupt finishes the
// step in flight and wipes the handset; a second one quits at once and says what may be left.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { HANDSET_ID, makeRig, PASSWORD } from './rig.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('tecsos provision interrupted', () => {
  it('Ctrl-C while the self-test waits for the button: the handset is wiped, nothing is registered, exit 130', async () => {
    const rig = await makeRig();
    let interrupt: ((again: boolean) => void) | undefined;
    let sent = false;
    const r = await rig.cli([...rig.provisionArgs(), '--button-wait', '30'], {}, {
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
      onStdout: (text) => {
        if (!sent && /press the handset's button/.test(text)) {
          sent = true;
          interrupt?.(false);
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(ExitCode.INTERRUPTED);
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    expect((await rig.events()).some((e) => e['type'] === 'handset.registered')).toBe(false);
    expect(r.stderr).toMatch(/interrupted/);
    expect(r.stderr).toMatch(/handset: not provisioned \(wiped\)/);
    expect(interrupt).toBeUndefined();
  }, 60_000);

  it('Ctrl-C after the registration: the handset stays fully provisioned and registered; the tool says the test report was not checked', async () => {
    const rig = await makeRig();
    rig.pressButton();
    let interrupt: ((again: boolean) => void) | undefined;
    let sent = false;
    const r = await rig.cli([...rig.provisionArgs(), '--verify-wait', '120'], {}, {
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
      onStdout: (text) => {
        if (!sent && /\[ok\] register/.test(text)) {
          sent = true;
          interrupt?.(false);
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(ExitCode.INTERRUPTED);
    expect(rig.handset.firmware.info()).toMatchObject({ id: HANDSET_ID, provisioned: true });
    expect((await rig.events()).some((e) => e['type'] === 'handset.registered')).toBe(true);
    expect(r.stderr).toMatch(/handset: PROVISIONED/);
    expect(r.stderr).toMatch(/tecsos test-alarm --port \S+ --key-file \S+ --gateway http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);

  it('the terminal goes away (SIGHUP, then every write fails): bin/tecsos.mjs still wipes the handset', async () => {
    // The window closed or the ssh session dropped: the first write to the dead terminal failed (EIO; EPIPE on
    // a pipe) with no listener for the error, which killed the tool before or during the wipe.
    const rig = await makeRig();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/tecsos.mjs'), ...rig.provisionArgs(), '--button-wait', '30', '--key-file', rig.keyFile], {
      cwd: ROOT,
      env: { ...process.env, TECSOS_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (/press the handset's button/.test(seen) && !child.stdout.destroyed) {
        child.stdout.destroy();
        child.stderr.destroy();
        child.kill('SIGHUP');
      }
    });
    const exit = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    expect(exit).toEqual([ExitCode.INTERRUPTED, null]);
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    expect((await rig.events()).some((e) => e['type'] === 'handset.registered')).toBe(false);
  }, 60_000);
  it('--json and a second Ctrl-C: stdout still has its one JSON document (exit 130, handset state unknown, what to do)', async () => {
    // The second interrupt exits at once; with --json it printed nothing on stdout, though the document is
    // promised "whatever happened" and a script reads the handset's state and what to do from it.
    const rig = await makeRig();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/tecsos.mjs'), ...rig.provisionArgs(), '--button-wait', '30', '--key-file', rig.keyFile, '--json'], {
      cwd: ROOT,
      env: { ...process.env, TECSOS_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // With --json the progress lines are on stderr: at the button wait, Ctrl-C; once it is seen, again.
      if (/press the handset's button/.test(stderr) && !/interrupted:/.test(stderr) && !/Ctrl-C sent/.test(stderr)) {
        stderr += 'Ctrl-C sent';
        child.kill('SIGINT');
      } else if (/interrupted:/.test(stderr) && !/again sent/.test(stderr)) {
        stderr += 'again sent';
        child.kill('SIGINT');
      }
    });
    const exit = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    expect(exit, stderr).toEqual([ExitCode.INTERRUPTED, null]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(doc).toMatchObject({ command: 'provision', ok: false, exitCode: ExitCode.INTERRUPTED, failure: { kind: 'interrupted', handsetState: 'unknown' } });
    expect(JSON.stringify(doc['failure'])).toMatch(/tecsos wipe --port/);
  }, 60_000);

  it('a second Ctrl-C says what is left for how far the run got: with --replace after the commit, wipe whatever the gateway lists', async () => {
    // The advice was "if it says provisioned and the gateway does not list it, wipe". A --replace run quit
    // between the commit and the registration leaves the handset with a new key while the gateway still lists
    // its previous registration (the old key): that advice kept a handset whose reports the gateway refuses.
    const rig = await makeRig();
    rig.pressButton();
    const first = await rig.cli([...rig.provisionArgs(), '--verify-wait', '0']);
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    const quitAt = async (line: RegExp): Promise<string> => {
      let interrupt: ((again: boolean) => void) | undefined;
      let sent = false;
      rig.pressButton();
      const r = await rig.cli([...rig.provisionArgs(), '--replace', '--verify-wait', '0'], {}, {
        onInterrupt: (handler) => {
          interrupt = handler;
          return () => (interrupt = undefined);
        },
        onStdout: (text) => {
          if (!sent && line.test(text)) {
            sent = true;
            interrupt?.(true); // bin/tecsos.mjs exits right after this; in-process the run goes on
          }
        },
      });
      expect(sent).toBe(true);
      return r.stderr;
    };

    const afterCommit = await quitAt(/\[ok\] commit/);
    expect(afterCommit).toMatch(/handset: UNKNOWN/);
    expect(afterCommit).toMatch(/if it says provisioned, run tecsos wipe --port \S+ --key-file \S+ whatever the gateway lists/);
    expect(afterCommit).not.toMatch(/does not list it/);

    const beforeCommit = await quitAt(/\[ok\] config/);
    expect(beforeCommit).toMatch(/handset: unchanged/);
    expect(beforeCommit).not.toMatch(/tecsos wipe/);

    const afterRegistration = await quitAt(/\[ok\] register/);
    expect(afterRegistration).toMatch(/handset: PROVISIONED/);
    expect(afterRegistration).toMatch(/tecsos test-alarm --port \S+ --key-file \S+ --gateway http:\/\/127\.0\.0\.1:\d+/);
    expect(afterRegistration).not.toMatch(/tecsos wipe/);
  }, 90_000);
});
