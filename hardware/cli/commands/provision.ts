// tecsos provision: authenticate with the fleet key, write config and a new report key, commit, read back,
// self-test, register with the gateway, verify with a test report (hardware/provisioning/provision.ts has the
// steps and the atomicity rules). This file turns options into a ProvisionRequest and prints the outcome.

import { promises as fs } from 'node:fs';
import { VictimRecord } from '../../../protocol/schemas/handsets.js';
import { GatewayClient, parseGatewayUrl } from '../../provisioning/gateway-client.js';
import type { ToolFailure } from '../../provisioning/failure.js';
import { provision as runProvision, type ProgressEvent, type ProvisionRequest } from '../../provisioning/provision.js';
import { settingsToWrite, type Setting, type SettingsPlan } from '../../provisioning/settings.js';
import { COMMON_OPTIONS, int, str, type CliCommand, type OptionValues } from '../command.js';
import type { CliIo } from '../io.js';
import { fleetKey, keyFilePath, openHandset, portSpec } from '../session.js';
import { allowFailOption } from './shared-options.js';

/** The environment variable holding the engineer's gateway password when --password-env is not given. */
export const PASSWORD_ENV = 'TECSOS_PASSWORD';
/** The environment variable giving the gateway's SMS number when --gateway-number is not given (one per deployment). */
export const GATEWAY_NUMBER_ENV = 'TECSOS_GATEWAY_NUMBER';

const PHONE = /^\+?\d{3,15}$/;
/**
 * `--emergency 999`, `--interval 30` (issue 7): written every time, not left to the handset, whose staging
 * starts from what it has committed: with --replace a handset kept the last provisioning's emergency number and
 * interval (a bench's test line, say) when the new command did not name them.
 */
const DEFAULT_EMERGENCY = '999';
/** The emergency numbers a victim's handset may dial in the UK: 999, and 112, which reaches the same service. */
const EMERGENCY_NUMBERS: ReadonlySet<string> = new Set(['999', '112']);

/**
 * The warning for an `--emergency` that is not 999 or 112 (a bench's test line, or a typo such as 9999): her alarm
 * call would dial it, not the police, while every check of the run (the self-test, the test report) passes, since
 * none of them places the call. Said on stderr before the run and after it, so that --json stays one document.
 */
function emergencyWarning(emergency: string): string | undefined {
  if (EMERGENCY_NUMBERS.has(emergency)) return undefined;
  return `tecsos provision: WARNING: --emergency ${emergency} is not an emergency number (999 or 112): this handset's alarm calls will dial ${emergency}, not the police. Use it only for a bench or test line; for a victim's handset leave --emergency out (999)\n`;
}
const DEFAULT_INTERVAL_S = 30;
/** The handset's rule for its `force` setting (the gateway allows more; the handset is the narrower). */
const HANDSET_FORCE = /^[A-Za-z0-9 _-]{1,32}$/;

/** Larger than any valid VictimRecord (name 100, notes 2 x 2000, 20 markers of 40, address 300 characters, UTF-8). */
const VICTIM_FILE_MAX_BYTES = 64 * 1024;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * JSON.parse's message without the text it quotes: V8 quotes about ten characters either side of the error
 * (`Unexpected token ''', ..."key": '34400abdf"... is not valid JSON`), which here can be the victim's
 * record, and the message goes to a terminal, a --json document or a log. The position-only messages
 * (`... in JSON at position 40`) are kept whole.
 */
function jsonErrorWithoutText(err: unknown): string {
  return (err as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, ' (check the file with: jq . FILE)');
}

/**
 * The text of a victim file as Windows editors save it: UTF-8 with or without a byte order mark, or UTF-16 with
 * one (Notepad's "Unicode"); undefined for bytes that are not UTF-8 (an "ANSI" code page). A BOM is not part of
 * the JSON (JSON.parse refused it as an "Unexpected token" that prints as nothing), and a non-UTF-8 name was read
 * with U+FFFD in place of its accented letters ("Zo\uFFFD" for "Zoë") and registered so, without a word.
 */
function victimText(bytes: Uint8Array): string | undefined {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    // The decoder drops the BOM of its encoding.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

async function victimRecord(values: OptionValues): Promise<Parsed<VictimRecord>> {
  let base: Record<string, unknown> = {};
  const file = str(values, 'victim');
  if (file !== undefined) {
    try {
      // A victim record is a few kB at most (VictimRecord's limits); a device, a pipe or a huge file given by
      // mistake (/dev/zero) would otherwise be read into memory until Node gives up at 2 GiB.
      const stat = await fs.stat(file);
      if (!stat.isFile()) return { ok: false, reason: `--victim ${file} is not a regular file` };
      if (stat.size > VICTIM_FILE_MAX_BYTES) return { ok: false, reason: `--victim ${file} is ${stat.size} bytes; a victim record is at most ${VICTIM_FILE_MAX_BYTES}` };
      const text = victimText(await fs.readFile(file));
      if (text === undefined) return { ok: false, reason: `--victim ${file} is not UTF-8 text (saved as "ANSI" or another code page?): save it as UTF-8` };
      try {
        base = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        return { ok: false, reason: `--victim ${file} is not valid JSON: ${jsonErrorWithoutText(err)}` };
      }
    } catch (err) {
      return { ok: false, reason: `--victim ${file}: ${(err as Error).message}` };
    }
  }
  const fromFlags: Record<string, unknown> = {};
  const name = str(values, 'victim-name');
  const notes = str(values, 'safety-notes');
  const markers = str(values, 'risk-markers');
  const address = str(values, 'address');
  if (name !== undefined) fromFlags['name'] = name;
  if (notes !== undefined) fromFlags['safetyNotes'] = notes;
  if (markers !== undefined) fromFlags['riskMarkers'] = markers.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (address !== undefined) fromFlags['address'] = address;
  const merged = { safetyNotes: '', riskMarkers: [], ...base, ...fromFlags };
  const r = VictimRecord.safeParse(merged);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, reason: `victim record: ${issue?.path.join('.') || '(record)'}: ${issue?.message ?? 'invalid'} (give --victim FILE.json or --victim-name, --safety-notes, --risk-markers)` };
  }
  return { ok: true, value: r.data };
}

function extraSettings(values: OptionValues): Parsed<Setting[]> {
  const raw = values['set'];
  const list = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  const out: Setting[] = [];
  for (const item of list) {
    const i = item.indexOf('=');
    if (i <= 0) return { ok: false, reason: `--set ${JSON.stringify(item)} is not name=value` };
    out.push([item.slice(0, i).trim(), item.slice(i + 1)]);
  }
  return { ok: true, value: out };
}

/** The engineer's gateway password, from --password-env's variable (default TECSOS_PASSWORD), never the command line. */
export function gatewayPassword(values: OptionValues, io: CliIo): { ok: true; value: string } | { ok: false; reason: string } {
  const passwordVar = str(values, 'password-env') ?? PASSWORD_ENV;
  const password = io.env[passwordVar];
  if (password === undefined || password === '') return { ok: false, reason: `the gateway password is read from the environment variable ${passwordVar}, which is not set` };
  return { ok: true, value: password };
}

/** Builds the request from the options, or the first usage problem. */
async function request(values: OptionValues, io: CliIo, spec: string): Promise<Parsed<{ req: ProvisionRequest; origin: string }>> {
  const need = (name: string): Parsed<string> => {
    const v = str(values, name);
    return v === undefined || v === '' ? { ok: false, reason: `--${name} is required` } : { ok: true, value: v };
  };
  const gatewayUrl = need('gateway');
  if (!gatewayUrl.ok) return gatewayUrl;
  const gw = parseGatewayUrl(gatewayUrl.value);
  if (!gw.ok) return gw;
  const force = need('force');
  if (!force.ok) return force;
  if (!HANDSET_FORCE.test(force.value)) return { ok: false, reason: `--force ${JSON.stringify(force.value)}: letters, digits, space, _ or -, at most 32 (the handset's limit)` };
  const number = need('number');
  if (!number.ok) return { ok: false, reason: "--number is required: the handset SIM's phone number (E.164, e.g. +447700900123)" };
  const gatewayNumber = need('gateway-number');
  const fromEnv = io.env[GATEWAY_NUMBER_ENV];
  if (!gatewayNumber.ok && (fromEnv === undefined || fromEnv === '')) {
    return { ok: false, reason: `--gateway-number (or ${GATEWAY_NUMBER_ENV}) is required: the number the handset sends its reports to (the gateway's SMS line)` };
  }
  const gatewayNumberValue = gatewayNumber.ok ? gatewayNumber.value : (fromEnv as string);
  for (const [flag, v] of [['number', number.value], ['gateway-number', gatewayNumberValue], ['emergency', str(values, 'emergency')]] as const) {
    if (v !== undefined && !PHONE.test(v)) return { ok: false, reason: `--${flag} ${JSON.stringify(v)} is not a phone number (+ then 3 to 15 digits)` };
  }
  const interval = int(values, 'interval', 5, 3600);
  if (!interval.ok) return interval;
  const buttonWait = int(values, 'button-wait', 0, 3600);
  if (!buttonWait.ok) return buttonWait;
  const verifyWait = int(values, 'verify-wait', 0, 3600);
  if (!verifyWait.ok) return verifyWait;
  const allow = allowFailOption(values);
  if (!allow.ok) return allow;
  const extra = extraSettings(values);
  if (!extra.ok) return extra;
  const victim = await victimRecord(values);
  if (!victim.ok) return victim;
  const pw = gatewayPassword(values, io);
  if (!pw.ok) return pw;
  const password = pw.value;
  const testMode = values['test-mode'] === true;
  const emergency = str(values, 'emergency') ?? DEFAULT_EMERGENCY;
  const settings: SettingsPlan = { gatewayNumber: gatewayNumberValue, force: force.value, testMode, extra: extra.value, emergency, interval: interval.value ?? DEFAULT_INTERVAL_S };
  const writable = settingsToWrite(settings);
  if (!writable.ok) return writable;
  return {
    ok: true,
    value: {
      origin: gw.origin,
      req: {
        spec,
        keyFile: keyFilePath(values, io),
        settings,
        registration: { number: number.value, force: force.value, victim: victim.value, testMode, replace: values['replace'] === true },
        username: str(values, 'user') ?? 'engineer',
        password,
        allowFail: allow.value,
        buttonWaitMs: (buttonWait.value ?? 60) * 1000,
        verifyReportMs: (verifyWait.value ?? 120) * 1000,
      },
    },
  };
}

/**
 * Where a provisioning run is, as a second Ctrl-C sees it: before AT+TSCOMMIT went out (the handset drops its
 * staging when the port closes), after it (the handset may hold a key the gateway does not have: with --replace
 * the gateway still lists the previous registration, whose key the handset no longer has), the registration sent
 * (it may have been stored), or done (fully provisioned).
 */
type Reached = 'before-commit' | 'committing' | 'registering' | 'registered';

function reachedAfter(now: Reached, e: ProgressEvent): Reached {
  if (e.step === 'commit' && e.status === 'start' && now === 'before-commit') return 'committing';
  if (e.step === 'register' && e.status === 'start') return 'registering';
  if (e.step === 'register' && e.status === 'done') return 'registered';
  return now;
}

/** The failure a second Ctrl-C prints: what may be left, for how far the run got. */
function quitAtOnce(reached: Reached, spec: string, keyFile: string, origin: string): ToolFailure {
  const message = 'interrupted again: quitting at once, with the step in flight unfinished';
  const wipe = `tecsos wipe --port ${spec} --key-file ${keyFile}`;
  switch (reached) {
    case 'before-commit':
      return { kind: 'interrupted', message: `${message}, before the commit`, next: 'nothing was committed: the handset drops what was staged when the port closes. When ready, run the same tecsos provision command again', handsetState: 'unchanged' };
    case 'committing':
    case 'registering':
      return {
        kind: 'interrupted',
        message: `${message}. The handset may be left PROVISIONED with a key the gateway does not have`,
        // Whatever the gateway lists: with --replace it lists the previous registration (the old key), and a
        // registration sent as the tool quit may have been stored or not.
        next: `check it with tecsos info --port ${spec}; if it says provisioned, run ${wipe} whatever the gateway lists (this run's key is not known to have reached it). Then provision it again${reached === 'registering' ? ' with --replace (the registration may have been stored)' : ' (with --replace if the gateway lists the handset)'}`,
        handsetState: 'unknown',
      };
    case 'registered':
      return {
        kind: 'interrupted',
        message: `${message}, after the registration: the handset is provisioned and registered, but its test report was not checked`,
        next: `do not issue it before a test report reaches the gateway: tecsos test-alarm --port ${spec} --key-file ${keyFile} --gateway ${origin}`,
        handsetState: 'provisioned',
      };
    default: {
      const never: never = reached;
      throw new Error(`unhandled ${String(never)}`);
    }
  }
}

export const provision: CliCommand = {
  name: 'provision',
  summary: 'authenticate, write config and a new report key, commit, verify, self-test, register with the gateway',
  usage: [
    '--port SPEC --gateway URL --force FORCE --number MSISDN --gateway-number MSISDN',
    '    [--emergency 999] [--interval 30] [--test-mode] [--set NAME=VALUE ...]',
    '    [--victim FILE.json | --victim-name NAME --safety-notes TEXT --risk-markers a,b --address TEXT]',
    '    [--key-file PATH] [--user engineer] [--password-env TECSOS_PASSWORD] [--replace]',
    '    [--allow-fail gps,button] [--button-wait 60] [--verify-wait 120] [--json]',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    port: { type: 'string' },
    gateway: { type: 'string' },
    force: { type: 'string' },
    number: { type: 'string' },
    'gateway-number': { type: 'string' },
    emergency: { type: 'string' },
    interval: { type: 'string' },
    'test-mode': { type: 'boolean' },
    set: { type: 'string', multiple: true },
    victim: { type: 'string' },
    'victim-name': { type: 'string' },
    'safety-notes': { type: 'string' },
    'risk-markers': { type: 'string' },
    address: { type: 'string' },
    'key-file': { type: 'string' },
    user: { type: 'string' },
    'password-env': { type: 'string' },
    replace: { type: 'boolean' },
    'allow-fail': { type: 'string' },
    'button-wait': { type: 'string' },
    'verify-wait': { type: 'string' },
  },
  async run(values, io, out) {
    const spec = portSpec(values);
    if (!spec.ok) return out.fail(spec.failure);
    const r = await request(values, io, spec.value);
    if (!r.ok) return out.fail({ kind: 'usage', message: r.reason, next: 'fix the options (tecsos provision --help); nothing was done' });
    const warning = emergencyWarning(r.value.req.settings.emergency ?? DEFAULT_EMERGENCY);
    if (warning !== undefined) io.stderr(warning);
    const key = await fleetKey(values, io);
    if (!key.ok) return out.fail(key.failure);
    const usb = await openHandset(io, spec.value);
    if (!usb.ok) return out.fail(usb.failure);
    const gateway = new GatewayClient(r.value.origin, io.fetch);
    // Ctrl-C must not kill the tool between the commit and the registration (a handset provisioned but unknown
    // to the gateway): the first one ends the procedure cleanly (provision.ts), a second quits at once.
    const interrupted = new AbortController();
    // How far the procedure got, for a second Ctrl-C (which cannot wait for the step in flight to finish).
    let reached: Reached = 'before-commit';
    const release = io.onInterrupt?.((again) => {
      if (again) {
        // The process exits right after this (io.onInterrupt): the failure is printed here, so that --json
        // still gives its one document on stdout.
        out.fail(quitAtOnce(reached, spec.value, r.value.req.keyFile, r.value.origin));
        return;
      }
      interrupted.abort();
      io.stderr('tecsos provision: interrupted: finishing the step in flight, then stopping with the handset unprovisioned (wiped after a commit) or, once registered, fully provisioned. Ctrl-C again quits at once.\n');
    });
    try {
      const result = await runProvision(r.value.req, {
        interrupted: interrupted.signal,
        usb: usb.value,
        fleetKey: key.value,
        gateway,
        reportKey: () => io.randomBytes(32),
        sleep: io.sleep,
        now: io.now,
        progress: (e) => {
          reached = reachedAfter(reached, e);
          out.progress(e);
        },
        reopen: async () => {
          const again = await openHandset(io, spec.value);
          return again.ok ? again.value : undefined;
        },
      });
      if (!result.ok) {
        return out.fail(result.failure, { ...(result.handset && { handset: result.handset }), ...(result.selfTest && { selfTest: result.selfTest }) });
      }
      const { handset, registrationSeq, selfTest, reportVerified } = result;
      if (warning !== undefined) io.stderr(warning);
      return out.done(
        { handset, registrationSeq, selfTest, reportVerified },
        `${handset.id} provisioned and registered${reportVerified ? ', test report accepted by the gateway' : ' (test report not checked: --verify-wait 0)'}`,
      );
    } finally {
      release?.();
      await gateway.logout();
      await usb.value.close();
    }
  },
};
