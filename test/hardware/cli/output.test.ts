// Human output prints what the device on the port says (id, firmware, IMEI, self-test details, refusal
// reasons). The AT layer drops C0 bytes, but a UTF-8 C1 control (U+009B is CSI on terminals that honour 8-bit
// controls) or a bidirectional override (U+202E reverses what follows on screen: "not provisioned" shown
// reordered) reached the engineer's terminal as they came. They are shown escaped; JSON output carries them as
// \u escapes (the parsed text unchanged).
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../hardware/cli/io.js';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { runCli } from '../../../hardware/cli/main.js';
import { Output, printable } from '../../../hardware/cli/output.js';

function capture(json: boolean) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) } as unknown as CliIo;
  return { out: new Output(io, 'info', json), text: () => ({ stdout, stderr }) };
}

const HOSTILE_ID = 'TS-0042\u009b2J\u202e\u2066\u0085\t\x1b';

describe('Output: device text on a terminal', () => {
  it('escapes C0, C1 and bidi controls in progress, summary and failure lines', () => {
    const { out, text } = capture(false);
    out.progress({ step: 'identify', status: 'done', detail: `${HOSTILE_ID}, firmware 1.0.0` });
    out.done({}, `${HOSTILE_ID}: NOT provisioned`);
    out.fail({ kind: 'handset', message: `refused: ${HOSTILE_ID}`, next: `check ${HOSTILE_ID}`, handsetState: 'unchanged' });
    const all = text().stdout + text().stderr;
    expect(all).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(text().stdout).toContain('[ok] identify: TS-0042\\x9b2J\\u202e\\u2066\\x85\\x09\\x1b, firmware 1.0.0\n');
    expect(text().stderr).toContain('error: refused: TS-0042\\x9b2J');
  });

  it('leaves ordinary text, including non-ASCII letters, as it is', () => {
    expect(printable('TS-0042: Zoë, café — 999, [ok]')).toBe('TS-0042: Zoë, café — 999, [ok]');
  });

  it('JSON output keeps the exact text (JSON escapes what it must)', () => {
    const { out, text } = capture(true);
    out.done({ handset: { id: HOSTILE_ID } });
    expect((JSON.parse(text().stdout) as { handset: { id: string } }).handset.id).toBe(HOSTILE_ID);
  });

  it('the JSON document itself carries no C1 or bidi control raw (tecsos info --json typed at a terminal)', () => {
    // Before, JSON.stringify escaped C0 only: U+009B and U+202E from the device went to the terminal as they came.
    for (const finish of ['done', 'fail'] as const) {
      const { out, text } = capture(true);
      if (finish === 'done') out.done({ handset: { id: HOSTILE_ID } });
      else out.fail({ kind: 'handset', message: `refused: ${HOSTILE_ID}`, next: 'x' }, { handset: { id: HOSTILE_ID } });
      expect(text().stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect((JSON.parse(text().stdout) as { handset: { id: string } }).handset.id).toBe(HOSTILE_ID);
    }
  });
});

describe('Output with --json: progress as it happens', () => {
  it('shows each progress line on stderr while it runs (the "press the button" request among them); stdout stays one JSON document', () => {
    // With --json nothing was printed until the end: `tecsos provision --json` waited for a button press it
    // never asked for, then failed its self-test and wiped the handset.
    const { out, text } = capture(true);
    out.progress({ step: 'self-test', status: 'note', detail: "press the handset's button once now (waiting up to 60 s)" });
    expect(text().stdout).toBe('');
    expect(text().stderr).toBe("[  ] self-test: press the handset's button once now (waiting up to 60 s)\n");
    out.done({});
    expect(JSON.parse(text().stdout)).toMatchObject({ ok: true, progress: [{ step: 'self-test', status: 'note' }] });
  });
});

describe('runCli --json when the tool itself fails (a bug)', () => {
  it('still prints one JSON document (exit 1, failure kind internal); the stack goes to stderr', async () => {
    let stdout = '';
    let stderr = '';
    // An environment that throws stands in for any bug inside a command.
    const env = new Proxy({}, { get: () => { throw new Error('boom'); } });
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env } as unknown as CliIo;
    const code = await runCli(['wipe', '--port', 'tcp://127.0.0.1:9', '--json'], io);
    expect(code).toBe(ExitCode.INTERNAL);
    expect(JSON.parse(stdout)).toMatchObject({ command: 'wipe', ok: false, exitCode: 1, failure: { kind: 'internal', message: expect.stringMatching(/boom/) } });
    expect(stderr).toMatch(/internal error: Error: boom/);
  });
});
