// What the handset commands share: open the port, identify the handset, load the fleet key (permissions
// checked) and authenticate. Each returns the value or a ToolFailure for Output.fail.

import path from 'node:path';
import { isPortError, parsePortSpec } from '../ports/index.js';
import { authenticate } from '../provisioning/authenticate.js';
import { consoleFailure, type ToolFailure } from '../provisioning/failure.js';
import { loadFleetKey, type FleetKey } from '../provisioning/fleet-key.js';
import { HandsetConsole } from '../provisioning/handset-console.js';
import type { HandsetInfo } from '../provisioning/responses.js';
import { str, type OptionValues } from './command.js';
import type { CliIo } from './io.js';
import type { Output } from './output.js';

type Result<T> = { ok: true; value: T } | { ok: false; failure: ToolFailure };

/** The environment variable naming the fleet key file when --key-file is not given. */
export const KEY_FILE_ENV = 'TECSOS_FLEET_KEY';

/** --key-file, else $TECSOS_FLEET_KEY, else ~/.tecsos/fleet-key.pem. */
export function keyFilePath(values: OptionValues, io: CliIo): string {
  return str(values, 'key-file') ?? io.env[KEY_FILE_ENV] ?? path.join(io.home, '.tecsos', 'fleet-key.pem');
}

/** The --port value, checked (hardware/ports parsePortSpec), or a usage failure. */
export function portSpec(values: OptionValues): Result<string> {
  const spec = str(values, 'port');
  if (spec === undefined || spec === '') return { ok: false, failure: { kind: 'usage', message: '--port is required (a device such as /dev/ttyACM0, or tcp://host:port)', next: 'find the handset with tecsos list' } };
  const parsed = parsePortSpec(spec);
  if (!parsed.ok) return { ok: false, failure: { kind: 'usage', message: parsed.reason, next: 'a port is a device path (/dev/ttyACM0), tcp://host:port or mock:NAME' } };
  return { ok: true, value: spec };
}

/** Opens the handset's console on `spec`. */
export async function openHandset(io: CliIo, spec: string): Promise<Result<HandsetConsole>> {
  try {
    return { ok: true, value: new HandsetConsole(await io.openPort(spec)) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, failure: { kind: isPortError(err, 'PORT_BAD_SPEC') ? 'usage' : 'port', message, next: 'check the cable and the port (tecsos list)', handsetState: 'unchanged' } };
  }
}

/** AT+TSINFO?, shown as a progress line. */
export async function identify(usb: HandsetConsole, spec: string, out: Output): Promise<Result<HandsetInfo>> {
  out.progress({ step: 'identify', status: 'start' });
  const info = await usb.info();
  if (!info.ok) return { ok: false, failure: consoleFailure(info.failure, spec) };
  const h = info.value;
  out.progress({ step: 'identify', status: 'done', detail: `${h.id}, firmware ${h.firmware}, IMEI ${h.imei}, ${h.provisioned ? 'provisioned' : 'not provisioned'}` });
  return info;
}

/** Loads the fleet key (permissions checked). */
export async function fleetKey(values: OptionValues, io: CliIo): Promise<Result<FleetKey>> {
  const file = keyFilePath(values, io);
  const k = await loadFleetKey(file);
  if (!k.ok) return { ok: false, failure: { kind: 'key-file', message: k.message, next: `give the fleet's provisioning key with --key-file (or ${KEY_FILE_ENV}); a new fleet key is made with tecsos keygen` } };
  return k;
}

/** Identifies the handset and authenticates with the fleet key (loaded with {@link fleetKey} before the port is opened). */
export async function authenticated(key: FleetKey, usb: HandsetConsole, spec: string, out: Output): Promise<Result<HandsetInfo>> {
  const info = await identify(usb, spec, out);
  if (!info.ok) return info;
  out.progress({ step: 'authenticate', status: 'start' });
  const auth = await authenticate(usb, key, info.value.id);
  if (!auth.ok) return { ok: false, failure: consoleFailure(auth.failure, spec) };
  out.progress({ step: 'authenticate', status: 'done' });
  return info;
}
