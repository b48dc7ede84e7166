// tecsos wipe --port SPEC: factory reset (AT+TSWIPE): configuration to factory defaults, report key erased.
// Needs the fleet key (the console accepts AT+TSWIPE only in an authenticated session).

import { HandsetConsoleError } from '../../provisioning/console-errors.js';
import { blankHandsetInAlarm, consoleFailure } from '../../provisioning/failure.js';
import { COMMON_OPTIONS, type CliCommand } from '../command.js';
import { authenticated, fleetKey, openHandset, portSpec } from '../session.js';

export const wipe: CliCommand = {
  name: 'wipe',
  summary: 'factory reset: settings to defaults, report key erased',
  usage: '--port SPEC [--key-file PATH] [--json]',
  options: { ...COMMON_OPTIONS, port: { type: 'string' }, 'key-file': { type: 'string' } },
  async run(values, io, out) {
    const spec = portSpec(values);
    if (!spec.ok) return out.fail(spec.failure);
    // The key file is checked before the port is opened (docs/provisioning.md): a bad key is exit 8 whatever the port.
    const key = await fleetKey(values, io);
    if (!key.ok) return out.fail(key.failure);
    const usb = await openHandset(io, spec.value);
    if (!usb.ok) return out.fail(usb.failure);
    try {
      const h = await authenticated(key.value, usb.value, spec.value, out);
      if (!h.ok) return out.fail(h.failure);
      out.progress({ step: 'wipe', status: 'start' });
      const w = await usb.value.wipe();
      if (!w.ok) {
        const f = w.failure;
        // A blank handset whose button was held: no control-room incident can stop its alarm (as provision says).
        if (f.kind === 'refused' && f.code === HandsetConsoleError.ALARM_IN_PROGRESS && !h.value.provisioned) return out.fail(blankHandsetInAlarm(f.command));
        return out.fail(consoleFailure(f, spec.value, `run tecsos wipe --port ${spec.value} again`));
      }
      const after = await usb.value.info();
      if (!after.ok) return out.fail(consoleFailure(after.failure, spec.value, `check with tecsos info --port ${spec.value}`));
      if (after.value.provisioned) {
        return out.fail({ kind: 'verification', message: 'the handset still reports itself provisioned after AT+TSWIPE', next: 'do not issue this handset; check its firmware', handsetState: 'provisioned' });
      }
      out.progress({ step: 'wipe', status: 'done', detail: 'not provisioned; report key erased' });
      out.text(`if ${h.value.id} is registered with the gateway, its registration stays until it is re-provisioned with --replace`);
      return out.done({ handset: after.value }, `${h.value.id} wiped`);
    } finally {
      await usb.value.close();
    }
  },
};
