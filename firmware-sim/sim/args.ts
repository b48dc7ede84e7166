// The full simulation's command line:
//
//   npm run sim -- [--config sim.json] [--seed N] [--registry-out PATH] [--scenario FILE | --interactive]
//                  [--bank-base PORT] [--usb-base PORT] [--control-port PORT] [--pty-dir DIR]
//
// Flags override the configuration file; a port of 0 gives each listener a free port (tests, parallel runs).

import { splitFlagValues } from '../cli/flag-values.js';

/** The full simulation's usage line. */
export const SIM_USAGE =
  'usage: npm run sim -- [--config sim.json] [--seed N] [--registry-out PATH] [--scenario FILE | --interactive] ' +
  '[--bank-base PORT] [--usb-base PORT] [--control-port PORT] [--pty-dir DIR]';

/** The default manifest path. */
export const DEFAULT_REGISTRY_OUT = 'data/sim-registry.json';

/** Parsed command line. */
export interface SimArgs {
  readonly configFile: string | undefined;
  readonly seed: number | undefined;
  readonly registryOut: string;
  /** A scenario file to play; undefined with `interactive` (or when the default scenario is to be played). */
  readonly scenario: string | undefined;
  readonly interactive: boolean;
  readonly ports: { readonly bankBase?: number; readonly usbBase?: number; readonly control?: number; readonly ptyDir?: string };
}

function integer(flag: string, v: string, max: number): number {
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(n) || n > max) throw new Error(`${flag} must be an integer 0..${max}, got "${v}"\n${SIM_USAGE}`);
  return n;
}

/** Parses argv (after `npm run sim --`; `--flag=value` too); throws a message with the usage on bad input. */
export function parseSimArgs(given: readonly string[]): SimArgs {
  const argv = splitFlagValues(given, ['--interactive']);
  let configFile: string | undefined;
  let seed: number | undefined;
  let registryOut = DEFAULT_REGISTRY_OUT;
  let scenario: string | undefined;
  let interactive = false;
  const ports: { bankBase?: number; usbBase?: number; control?: number; ptyDir?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--interactive') {
      interactive = true;
      continue;
    }
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${flag} needs a value\n${SIM_USAGE}`);
    i++;
    switch (flag) {
      case '--config':
        configFile = v;
        break;
      case '--seed':
        seed = integer(flag, v, 0xffff_ffff);
        break;
      case '--registry-out':
        registryOut = v;
        break;
      case '--scenario':
        scenario = v;
        break;
      case '--bank-base':
        ports.bankBase = integer(flag, v, 65535);
        break;
      case '--usb-base':
        ports.usbBase = integer(flag, v, 65535);
        break;
      case '--control-port':
        ports.control = integer(flag, v, 65535);
        break;
      case '--pty-dir':
        ports.ptyDir = v;
        break;
      default:
        throw new Error(`unknown option ${flag}\n${SIM_USAGE}`);
    }
  }
  if (interactive && scenario !== undefined) throw new Error(`--scenario and --interactive exclude each other\n${SIM_USAGE}`);
  return { configFile, seed, registryOut, scenario, interactive, ports };
}
