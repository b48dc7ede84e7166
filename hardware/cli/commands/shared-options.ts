// Option parsers shared by selftest and provision.

import { SELF_TEST_PARTS } from '../../provisioning/self-test.js';
import { str, type OptionValues } from '../command.js';


/** --allow-fail gps,button: parts whose failure does not fail the command. */
export function allowFailOption(values: OptionValues): { ok: true; value: ReadonlySet<string> } | { ok: false; reason: string } {
  const text = str(values, 'allow-fail');
  const parts = (text ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const bad = parts.find((p) => !(SELF_TEST_PARTS as readonly string[]).includes(p));
  if (bad !== undefined) return { ok: false, reason: `--allow-fail: unknown part ${JSON.stringify(bad)} (parts: ${SELF_TEST_PARTS.join(', ')})` };
  if (parts.includes('flash')) return { ok: false, reason: '--allow-fail flash is not allowed: a handset whose flash fails its check cannot be issued' };
  return { ok: true, value: new Set(parts) };
}
