// Which USB ids are TecSOS handsets: a configuration value, since it depends on the handset model the force
// buys (each maker's USB-serial bridge, or its own id). Read from, in order of precedence:
//
//   --handset-ids 1209:7e50,0483:5740          the command line
//   TECSOS_HANDSET_USB_IDS=1209:7e50,...       the environment
//   (none)                                     nothing is highlighted; `tecsos list` says how to configure it
//
// A bad id is an error at start-up naming it, never ignored (a typo would hide the handset in the list).

import { parseUsbId, type UsbId } from './usb-id.js';

/** The environment variable that lists handset USB ids. */
export const HANDSET_IDS_ENV = 'TECSOS_HANDSET_USB_IDS';

/** Parses a comma-separated id list; the first bad entry's reason on failure. */
export function parseHandsetIds(text: string): { ok: true; value: UsbId[] } | { ok: false; reason: string } {
  const out: UsbId[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const r = parseUsbId(part);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

/** The configured ids: the option's value if given, else the environment's, else none. */
export function handsetIdsFrom(option: string | undefined, env: Readonly<Record<string, string | undefined>>): ReturnType<typeof parseHandsetIds> {
  return parseHandsetIds(option ?? env[HANDSET_IDS_ENV] ?? '');
}
