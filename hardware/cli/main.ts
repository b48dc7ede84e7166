// `tecsos <command> [options]`: the engineer's USB provisioning tool (docs/provisioning.md). runCli is the whole
// program with its effects injected (tests run it in-process); bin/tecsos.mjs calls it with processIo().

import { parseArgs } from 'node:util';
import { CLI_COMMANDS } from './commands/table.js';
import { ExitCode } from './exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { Output } from './output.js';

function usage(): string {
  const rows = [...CLI_COMMANDS.values()].map((c) => `  ${c.name.padEnd(11)} ${c.summary}`);
  return ['usage: tecsos <command> [options]   (tecsos <command> --help for its options)', '', 'commands:', ...rows, '', 'exit codes: see docs/provisioning.md'].join('\n');
}

/** Runs one command line; resolves with the exit code. Never rejects: a bug is reported as exit 1. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(`${usage()}\n`);
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const command = CLI_COMMANDS.get(name);
  if (command === undefined) {
    io.stderr(`tecsos: unknown command ${JSON.stringify(name)}\n${usage()}\n`);
    return ExitCode.USAGE;
  }
  let values;
  try {
    values = parseArgs({ args: [...rest], options: command.options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const json = rest.includes('--json');
    const out = new Output(io, command.name, json);
    return out.fail({ kind: 'usage', message: (err as Error).message, next: `usage: tecsos ${command.name} ${command.usage}` });
  }
  if (values['help'] === true) {
    io.stdout(`usage: tecsos ${command.name} ${command.usage}\n\n${command.summary}\n`);
    return ExitCode.OK;
  }
  const out = new Output(io, command.name, values['json'] === true);
  try {
    return await command.run(values, io, out);
  } catch (err) {
    return out.internal(err);
  }
}
