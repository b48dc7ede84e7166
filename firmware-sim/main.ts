// `npm run sim -- <command>`: the simulator's entry point. `modem` runs one standalone simulated modem
// (firmware-sim/cli/modem-command.ts); the full simulation (network, handsets, modem bank) is dispatched here
// by its own command module.

import { runModemCommand } from './cli/modem-command.js';

const USAGE = `usage: npm run sim -- modem --listen tcp://127.0.0.1:PORT [--pty PATH] [--number MSISDN] [--seed N]`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'modem':
      return runModemCommand(rest);
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
