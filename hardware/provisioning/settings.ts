// What `tecsos provision` writes with AT+TSCFG=<name>,<value>, and the read-back check after AT+TSCOMMIT.
// Names are the handset console's (docs/firmware-sim-handset.md, "Settings"); values travel as text, so the
// read-back compares text, after the handset's own normalisation (fleetkey lower case, numbers as decimals).

/** One setting to write: console name and value text. */
export type Setting = readonly [name: string, value: string];

/** The settings the provisioning options produce, in the order they are written (gateway number first). */
export type SettingsPlan = {
  readonly gatewayNumber: string;
  readonly emergency?: string;
  readonly interval?: number;
  readonly force: string;
  readonly testMode: boolean;
  /** `--set name=value` extras (any other setting of the handset's table), in order. */
  readonly extra?: readonly Setting[];
};

/** Settings this tool never writes: the fleet key comes from the factory, and changing it is not provisioning. */
const NEVER_WRITTEN = new Set(['fleetkey']);
/** Settings with their own command-line option. */
const OWN_OPTION = new Map([
  ['gateway', '--gateway-number'],
  ['emergency', '--emergency'],
  ['interval', '--interval'],
  ['force', '--force'],
  ['testmode', '--test-mode'],
]);

/** The list of settings to write; an `extra` naming a reserved setting is refused with a reason. */
export function settingsToWrite(plan: SettingsPlan): { ok: true; settings: Setting[] } | { ok: false; reason: string } {
  const out = new Map<string, string>();
  out.set('gateway', plan.gatewayNumber);
  if (plan.emergency !== undefined) out.set('emergency', plan.emergency);
  if (plan.interval !== undefined) out.set('interval', String(plan.interval));
  out.set('force', plan.force);
  out.set('testmode', plan.testMode ? '1' : '0');
  for (const [name, value] of plan.extra ?? []) {
    const n = name.toLowerCase();
    // What HandsetConsole.set can put on a command line (AT+TSCFG=<name>,"<value>"): checked here so that a
    // typo is a usage error before anything is done, not a refusal after the login and the authentication.
    if (!/^[a-z]+$/.test(n)) return { ok: false, reason: `--set ${name}: not a setting name (letters only, e.g. tracking, hold, gesture)` };
    if (/["\x00-\x1f\x7f]/.test(value)) return { ok: false, reason: `--set ${n}: the value cannot hold a double quote or a control character` };
    if (NEVER_WRITTEN.has(n)) return { ok: false, reason: `--set ${n} is not allowed: the fleet key is set at the factory` };
    // An option and a --set for the same setting: one would silently win over the other.
    if (OWN_OPTION.has(n)) return { ok: false, reason: `--set ${n}=... repeats a setting that has its own option (${OWN_OPTION.get(n)})` };
    out.set(n, value);
  }
  return { ok: true, settings: [...out] };
}

/** How a read-back differs from what was written: one entry per setting, `undefined` when it is missing. */
export type Mismatch = { readonly name: string; readonly wrote: string; readonly read: string | undefined };

/** Compares the handset's AT+TSCFG? answer with what was written (and that the fleet key did not change). */
export function compareReadBack(written: readonly Setting[], read: ReadonlyMap<string, string>, fleetKeyBefore: string | undefined): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [name, value] of written) {
    const got = read.get(name);
    if (got !== normalise(name, value)) out.push({ name, wrote: value, read: got });
  }
  if (fleetKeyBefore !== undefined && read.get('fleetkey') !== fleetKeyBefore) {
    out.push({ name: 'fleetkey', wrote: fleetKeyBefore, read: read.get('fleetkey') });
  }
  return out;
}

/** Settings the handset keeps as text, digits and all: phone numbers (a leading 0 is part of the number). */
const PHONE_NUMBERS = new Set(['gateway', 'emergency']);

/** The text the handset lists for a value it accepted. */
function normalise(name: string, value: string): string {
  if (name === 'fleetkey') return value.toLowerCase();
  if (PHONE_NUMBERS.has(name)) return value;
  return /^\d+$/.test(value) ? String(Number(value)) : value;
}
