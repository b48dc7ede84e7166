// The console's command table: one row per command file.

import type { ConsoleCommand } from '../command.js';
import { tsauth } from './tsauth.js';
import { tscfg } from './tscfg.js';
import { tscommit } from './tscommit.js';
import { tsdefaults } from './tsdefaults.js';
import { tsgps } from './tsgps.js';
import { tsinfo } from './tsinfo.js';
import { tskey } from './tskey.js';
import { tsselftest } from './tsselftest.js';
import { tstest } from './tstest.js';
import { tswipe } from './tswipe.js';

export const CONSOLE_COMMANDS: ReadonlyMap<string, ConsoleCommand> = new Map(
  [tsinfo, tsauth, tscfg, tsdefaults, tskey, tscommit, tswipe, tsselftest, tstest, tsgps].map((c) => [c.name, c]),
);
