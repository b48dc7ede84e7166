// `npm run sim -- modem --listen tcp://127.0.0.1:PORT [--pty PATH] [--number +447700900001] [--seed N]`
// One standalone simulated modem (standalone-modem.ts); control lines on stdin, network events on stdout
// as JSON lines, until SIGINT/SIGTERM or the end of stdin.

import { createInterface } from 'node:readline';
import { splitFlagValues } from './flag-values.js';
import { startStandaloneModem, type StandaloneModem } from './standalone-modem.js';

const USAGE = 'usage: sim modem --listen tcp://127.0.0.1:PORT [--pty PATH] [--number MSISDN] [--seed N]';

/** Parsed command line of the modem command. */
export interface ModemCommandArgs {
  readonly host: string;
  readonly port: number;
  readonly ptyPath: string | undefined;
  readonly msisdn: string | undefined;
  readonly seed: number;
}

/** Parses argv (after "modem"; `--flag=value` too); throws a usage message on bad input. */
export function parseModemArgs(given: readonly string[]): ModemCommandArgs {
  const argv = splitFlagValues(given);
  let listen: string | undefined;
  let ptyPath: string | undefined;
  let msisdn: string | undefined;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${a ?? ''} needs a value\n${USAGE}`);
    if (a === '--listen') listen = v;
    else if (a === '--pty') ptyPath = v;
    else if (a === '--number') msisdn = v;
    else if (a === '--seed') seed = Number(v);
    else throw new Error(`unknown option ${a ?? ''}\n${USAGE}`);
    i++;
  }
  const m = /^tcp:\/\/([^:/]+):([0-9]{1,5})$/.exec(listen ?? '');
  if (m === null) throw new Error(`--listen must be tcp://HOST:PORT\n${USAGE}`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`port ${port} is out of range\n${USAGE}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`);
  return { host: m[1] as string, port, ptyPath, msisdn, seed };
}

/** Runs the standalone modem until stopped; resolves with the exit code. */
export async function runModemCommand(argv: readonly string[]): Promise<number> {
  let args: ModemCommandArgs;
  try {
    args = parseModemArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  let sm: StandaloneModem;
  try {
    sm = await startStandaloneModem({
      host: args.host,
      port: args.port,
      seed: args.seed,
      ...(args.ptyPath !== undefined ? { ptyPath: args.ptyPath } : {}),
      ...(args.msisdn !== undefined ? { msisdn: args.msisdn } : {}),
    });
  } catch (e) {
    // A taken port, a bad number, or no socat: say so and exit instead of a stack trace.
    process.stderr.write(`sim modem: ${(e as Error).message}\n`);
    return 1;
  }
  sm.network.onEvent((e) => process.stdout.write(`${JSON.stringify(e)}\n`));
  process.stdout.write(
    `modem ${sm.modem.network?.msisdn ?? ''} listening on tcp://${args.host}:${sm.server.port}` +
      (sm.pty !== undefined ? ` pty ${sm.pty.path}` : '') +
      '\n',
  );
  return new Promise<number>((resolve) => {
    // Control lines on stdin; the end of stdin does not stop the modem (it may run with stdin closed).
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => process.stdout.write(`${sm.control(line)}\n`));
    let done = false;
    const stop = (): void => {
      if (done) return;
      done = true;
      rl.close();
      process.stdin.destroy();
      void sm.close().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
