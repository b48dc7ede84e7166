// The table of configuration names the USB console accepts in AT+TSCFG=<name>,<value> and lists in
// AT+TSCFG?. Adding a setting = one field in config.ts and one row here. Values travel as text; each row
// parses (with a reason on rejection) and formats its own field.

import type { HandsetConfig } from './config.js';

/** Why a value was refused; shown to the engineer as `+CME ERROR: <reason>`-style text by the console. */
export type ConfigParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

interface ConfigName<K extends keyof HandsetConfig> {
  readonly name: string;
  readonly field: K;
  readonly parse: (text: string) => ConfigParse<HandsetConfig[K]>;
  readonly format: (value: HandsetConfig[K]) => string;
}

const ok = <T>(value: T): ConfigParse<T> => ({ ok: true, value });
const bad = <T>(reason: string): ConfigParse<T> => ({ ok: false, reason });

function integer(min: number, max: number) {
  return (text: string): ConfigParse<number> => {
    if (!/^\d{1,9}$/.test(text)) return bad(`not a whole number: ${text}`);
    const n = Number(text);
    return n < min || n > max ? bad(`out of range ${min}..${max}: ${n}`) : ok(n);
  };
}

function flag(text: string): ConfigParse<boolean> {
  return text === '1' ? ok(true) : text === '0' ? ok(false) : bad(`not 0 or 1: ${text}`);
}

/** A dialable number: optional +, then 3 to 15 digits (E.164 is at most 15). */
function phoneNumber(text: string): ConfigParse<string> {
  return /^\+?\d{3,15}$/.test(text) ? ok(text) : bad(`not a phone number: ${text}`);
}

const num = String;
const bit = (b: boolean): string => (b ? '1' : '0');
const same = (s: string): string => s;

function row<K extends keyof HandsetConfig>(r: ConfigName<K>): ConfigName<K> {
  return r;
}

/** Console name -> config field. Order is the order AT+TSCFG? lists them in. */
export const CONFIG_NAMES = [
  row({ name: 'gateway', field: 'gatewayNumber', parse: phoneNumber, format: same }),
  row({ name: 'emergency', field: 'emergencyNumber', parse: phoneNumber, format: same }),
  row({ name: 'interval', field: 'intervalS', parse: integer(5, 3600), format: num }),
  row({ name: 'fastinterval', field: 'fastIntervalS', parse: integer(5, 3600), format: num }),
  row({ name: 'fastspeed', field: 'fastSpeedMps', parse: integer(1, 100), format: num }),
  row({ name: 'tracking', field: 'trackingMinutes', parse: integer(1, 1440), format: num }),
  row({
    name: 'gesture',
    field: 'gesture',
    parse: (t) => (t === 'hold' || t === 'presses' ? ok(t) : bad(`not hold or presses: ${t}`)),
    format: same,
  }),
  row({ name: 'hold', field: 'holdMs', parse: integer(500, 10000), format: num }),
  row({ name: 'presses', field: 'presses', parse: integer(2, 10), format: num }),
  row({ name: 'presswindow', field: 'pressWindowMs', parse: integer(500, 10000), format: num }),
  row({ name: 'silent', field: 'silent', parse: flag, format: bit }),
  row({
    name: 'force',
    field: 'force',
    parse: (t) => (/^[A-Za-z0-9 _-]{0,32}$/.test(t) ? ok(t) : bad(`force: letters, digits, space, _ or -, at most 32`)),
    format: same,
  }),
  row({ name: 'testmode', field: 'testMode', parse: flag, format: bit }),
  row({ name: 'lowbattery', field: 'lowBatteryPercent', parse: integer(1, 50), format: num }),
  row({ name: 'heartbeat', field: 'heartbeatHours', parse: integer(1, 168), format: num }),
  row({
    name: 'fleetkey',
    field: 'fleetKey',
    parse: (t) => (/^[0-9a-fA-F]{64}$/.test(t) ? ok(t.toLowerCase()) : bad('fleetkey: 64 hex digits')),
    format: same,
  }),
] as const;

type AnyName = (typeof CONFIG_NAMES)[number];

/** Finds a row by its console name (case-insensitive), or undefined. */
export function findConfigName(name: string): AnyName | undefined {
  const lower = name.toLowerCase();
  return CONFIG_NAMES.find((r) => r.name === lower);
}

/** Applies `text` to `name` on top of `config`; a typed rejection when the name or value is bad. */
export function applyConfigValue(config: HandsetConfig, name: string, text: string): ConfigParse<HandsetConfig> {
  const r = findConfigName(name);
  if (r === undefined) return bad(`unknown setting: ${name}`);
  const parsed = (r.parse as (t: string) => ConfigParse<unknown>)(text);
  if (!parsed.ok) return parsed;
  return ok({ ...config, [r.field]: parsed.value });
}

/** Every setting as [name, text], in table order. */
export function listConfig(config: HandsetConfig): Array<[string, string]> {
  return CONFIG_NAMES.map((r) => [r.name, (r.format as (v: unknown) => string)(config[r.field])]);
}
