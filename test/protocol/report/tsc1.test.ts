import { describe, expect, it } from 'vitest';
import {
  CommandEncodeError,
  decodeAndVerifyCommand,
  decodeCommand,
  encodeCommand,
  encodeCommandSync,
  verifyCommand,
  verifyCommandSync,
  WireReason,
  type HandsetCommand,
} from '../../../protocol/report/index.js';
import { independentMac, KEY, nodeHmac, OTHER_KEY } from './helpers.js';

// MAC computed independently with node:crypto (helpers.independentMac) and frozen.
const GOLDEN = 'TSC1;h=TS-0001;n=17;c=INTERVAL=30;m=ndO9mEYbiSs';

describe('TSC1 encode / decode / verify', () => {
  it('encodes the golden command with the node:crypto MAC', async () => {
    const text = await encodeCommand({ handsetId: 'TS-0001', counter: 17, command: { kind: 'INTERVAL', seconds: 30 } }, KEY);
    expect(text).toBe(GOLDEN);
    expect(independentMac('TSC1;h=TS-0001;n=17;c=INTERVAL=30', KEY)).toBe('ndO9mEYbiSs');
  });

  it('round-trips every command and verifies only with the right key', async () => {
    const commands: HandsetCommand[] = [
      { kind: 'STOP' },
      { kind: 'LOCATE' },
      { kind: 'INTERVAL', seconds: 5 },
      { kind: 'INTERVAL', seconds: 3600 },
    ];
    for (const command of commands) {
      const text = await encodeCommand({ handsetId: 'HS42', counter: 4294967295, command }, KEY);
      expect(encodeCommandSync({ handsetId: 'HS42', counter: 4294967295, command }, KEY, nodeHmac)).toBe(text);
      const d = decodeCommand(text);
      expect(d).toMatchObject({ ok: true, handsetId: 'HS42', counter: 4294967295, command });
      if (!d.ok) continue;
      expect(await verifyCommand(d, KEY)).toBe(true);
      expect(verifyCommandSync(d, KEY, nodeHmac)).toBe(true);
      expect(await verifyCommand(d, OTHER_KEY)).toBe(false);
    }
  });

  it('decodeAndVerifyCommand with the handset\'s own key', async () => {
    expect(await decodeAndVerifyCommand(GOLDEN, KEY)).toMatchObject({ ok: true, command: { kind: 'INTERVAL', seconds: 30 } });
    expect(await decodeAndVerifyCommand(GOLDEN, OTHER_KEY)).toMatchObject({ ok: false, reason: WireReason.BAD_MAC });
    expect(await decodeAndVerifyCommand(GOLDEN.replace('n=17', 'n=18'), KEY, nodeHmac)).toMatchObject({ ok: false, reason: WireReason.BAD_MAC });
  });

  it('a command re-addressed to another handset no longer verifies', async () => {
    const d = decodeCommand(GOLDEN.replace('TS-0001', 'TS-0002'));
    if (!d.ok) throw new Error(d.reason);
    expect(await verifyCommand(d, KEY)).toBe(false);
  });

  it('refuses to encode an interval outside 5..3600 s or a bad id', async () => {
    for (const seconds of [0, 4, 3601, 2.5, -5]) {
      await expect(encodeCommand({ handsetId: 'TS-0001', counter: 1, command: { kind: 'INTERVAL', seconds } }, KEY)).rejects.toBeInstanceOf(CommandEncodeError);
    }
    await expect(encodeCommand({ handsetId: 'ts', counter: 1, command: { kind: 'STOP' } }, KEY)).rejects.toBeInstanceOf(CommandEncodeError);
  });

  const rows: { name: string; text: string; reason: string; field?: string }[] = [
    { name: 'a report', text: 'TSR1;h=TS-0001;n=1;e=ALM', reason: WireReason.NOT_MINE },
    { name: 'chat', text: 'OK thanks', reason: WireReason.NOT_MINE },
    { name: 'version 2', text: GOLDEN.replace('TSC1', 'TSC2'), reason: WireReason.WRONG_VERSION },
    { name: 'cut before the MAC', text: 'TSC1;h=TS-0001;n=17;c=STOP', reason: WireReason.TRUNCATED },
    { name: 'cut in the MAC', text: GOLDEN.slice(0, -2), reason: WireReason.TRUNCATED },
    { name: 'tag only', text: 'TSC', reason: WireReason.TRUNCATED },
    { name: 'unknown command', text: GOLDEN.replace('INTERVAL=30', 'WIPE'), reason: WireReason.BAD_FIELD, field: 'c' },
    { name: 'lower-case command', text: GOLDEN.replace('INTERVAL=30', 'stop'), reason: WireReason.BAD_FIELD, field: 'c' },
    { name: 'INTERVAL=1', text: GOLDEN.replace('INTERVAL=30', 'INTERVAL=1'), reason: WireReason.ABSURD_VALUE, field: 'c' },
    { name: 'INTERVAL=86400', text: GOLDEN.replace('INTERVAL=30', 'INTERVAL=86400'), reason: WireReason.ABSURD_VALUE, field: 'c' },
    { name: 'INTERVAL=', text: GOLDEN.replace('INTERVAL=30', 'INTERVAL='), reason: WireReason.BAD_FIELD, field: 'c' },
    { name: 'INTERVAL=030', text: GOLDEN.replace('INTERVAL=30', 'INTERVAL=030'), reason: WireReason.BAD_FIELD, field: 'c' },
    { name: 'counter 2^32', text: GOLDEN.replace('n=17', 'n=4294967296'), reason: WireReason.ABSURD_VALUE, field: 'n' },
    { name: 'missing counter', text: GOLDEN.replace('n=17;', ''), reason: WireReason.BAD_FIELD },
    { name: 'bad id', text: GOLDEN.replace('TS-0001', '-TS'), reason: WireReason.BAD_FIELD, field: 'h' },
    { name: 'non-GSM character', text: GOLDEN.replace('INTERVAL=30', 'STOP€'), reason: WireReason.NOT_GSM7 },
  ];
  it.each(rows)('$name -> $reason', ({ text, reason, field }) => {
    const d = decodeCommand(text);
    expect(d).toMatchObject({ ok: false, reason });
    if (field !== undefined) expect(d).toMatchObject({ field });
  });
});
