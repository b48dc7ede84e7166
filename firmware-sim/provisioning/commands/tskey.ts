// AT+TSKEY=<key> -> +TSKEY: "<check value>", OK    stages the 32-byte report key, 64 hex digits. Write-only: no
// form reads it. The check value (protocol/report/key-check.ts: 8 hex digits of HMAC-SHA256(key, "TSKCV1")) lets
// the engineer's tool see that the key arrived unchanged, without the key coming back.

import { createHmac } from 'node:crypto';
import { keyCheckValue } from '../../../protocol/report/key-check.js';
import { fail, ok, quoted, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';

export const tskey: ConsoleCommand = {
  name: '+TSKEY',
  needsAuth: true,
  set: (s, args) => {
    const text = args[0] ?? '';
    if (args.length !== 1 || !/^[0-9a-fA-F]{64}$/.test(text)) return fail(ConsoleError.BAD_PARAMETER, 'the key is 64 hex digits (32 bytes)');
    const key = new Uint8Array(Buffer.from(text, 'hex'));
    s.stage().key = key;
    return ok(`+TSKEY: ${quoted(keyCheckValue(key, (k, m) => createHmac('sha256', k).update(m).digest()))}`);
  },
};
