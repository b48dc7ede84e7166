// The CLI's command table: one row per command file.

import type { CliCommand } from '../command.js';
import { info } from './info.js';
import { keygen } from './keygen.js';
import { list } from './list.js';
import { provision } from './provision.js';
import { selftest } from './selftest.js';
import { testAlarm } from './test-alarm.js';
import { wipe } from './wipe.js';

export const CLI_COMMANDS: ReadonlyMap<string, CliCommand> = new Map([list, info, provision, selftest, testAlarm, wipe, keygen].map((c) => [c.name, c]));
