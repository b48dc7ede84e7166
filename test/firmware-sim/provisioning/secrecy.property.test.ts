// Property: whatever an engineer (or an abuser with a cable) types, in whatever order, with or without a valid
// session, reconnecting in between, the console never writes the report key back, in hex or base64.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setup } from './harness.js';

const KEY_HEX = 'c0ffee00deadbeef0123456789abcdef00112233445566778899aabbccddeeff';
const KEY = Buffer.from(KEY_HEX, 'hex');

const step = fc.oneof(
  fc.constantFrom(
    'AT+TSINFO?', 'AT+TSAUTH?', 'AT+TSCFG?', 'AT+TSCFG=?', 'AT+TSKEY?', 'AT+TSKEY=?', 'AT+TSKEY', 'AT+TSCOMMIT',
    'AT+TSWIPE', 'AT+TSSELFTEST', 'AT+TSTEST', 'AT+TSGPS=1', 'AT+TSGPS=0', 'ATE1', 'ATE0', 'AT', 'login', 'disconnect',
    `AT+TSKEY=${KEY_HEX}`, 'AT+TSCFG=gateway,+447700900001', 'AT+TSCFG=key,1', 'AT+TSCFG?;+TSKEY?',
  ),
  fc.string({ maxLength: 24 }).map((s) => `AT+TS${s}`),
);

describe('provisioning console secrecy', () => {
  it('no command sequence returns the key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const h = setup();
        // Provisioned first, as a handset in the field would be.
        await h.login();
        await h.send('AT+TSCFG=gateway,+447700900001');
        await h.send(`AT+TSKEY=${KEY_HEX}`);
        await h.send('AT+TSCOMMIT');
        h.usb.disconnect();
        let all = '';
        for (const s of steps) {
          if (s === 'login') all += await h.login();
          else if (s === 'disconnect') h.usb.disconnect();
          else all += await h.send(s);
        }
        const lower = all.toLowerCase();
        // Any 8 consecutive key bytes, in hex (either case) or base64/base64url, would be a leak.
        for (let i = 0; i + 8 <= KEY.length; i += 4) {
          const part = KEY.subarray(i, i + 8);
          expect(lower).not.toContain(part.toString('hex'));
        }
        // With ATE1 the key the engineer types echoes as '*': not even the echo gives it back.
        for (const enc of ['base64', 'base64url'] as const) expect(all).not.toContain(KEY.toString(enc).slice(0, 16));
      }),
      { numRuns: 60 },
    );
  });
});
