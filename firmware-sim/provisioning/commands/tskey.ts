// AT+TSKEY=<key> -> OK        stages the 32-byte report key, 64 hex digits. Write-only: no form reads it.

import { fail, ok, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';

export const tskey: ConsoleCommand = {
  name: '+TSKEY',
  needsAuth: true,
  set: (s, args) => {
    const text = args[0] ?? '';
    if (args.length !== 1 || !/^[0-9a-fA-F]{64}$/.test(text)) return fail(ConsoleError.BAD_PARAMETER, 'the key is 64 hex digits (32 bytes)');
    s.stage().key = new Uint8Array(Buffer.from(text, 'hex'));
    return ok();
  },
};
