// `npm run sim -- [options]`: the simulator's entry point.
//   npm run sim -- [--config sim.json] [--seed N] [--registry-out PATH] [--scenario FILE | --interactive] ...
//       the full simulation: network, handsets, control-room modem bank, control API (firmware-sim/sim)
//   npm run sim -- modem --listen tcp://127.0.0.1:PORT [--pty PATH] [--number MSISDN] [--seed N]
//       one standalone simulated modem for outside AT programs (firmware-sim/cli)

import { runModemCommand } from './cli/modem-command.js';
import { SIM_USAGE } from './sim/args.js';
import { runSimCommand } from './sim/sim-command.js';

const MODEM_USAGE = 'usage: npm run sim -- modem --listen tcp://127.0.0.1:PORT [--pty PATH] [--number MSISDN] [--seed N]';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'modem':
      return runModemCommand(rest);
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${SIM_USAGE}\n${MODEM_USAGE}\n`);
      return 0;
    default:
      if (command !== undefined && !command.startsWith('--')) {
        process.stderr.write(`unknown command ${command}\n${SIM_USAGE}\n${MODEM_USAGE}\n`);
        return 2;
      }
      // The simulation's handsets keep timers (battery, heartbeat) on the wall clock: once everything is
      // closed, exit rather than wait a day for the next heartbeat.
      process.exit(await runSimCommand(argv));
  }
}

process.exitCode = await main(process.argv.slice(2));
