// tecsos test-alarm --port SPEC: AT+TSTEST, a TST report signed with the handset's key, sent to the gateway
// (no emergency call); the console shows it labelled as a test.

import { consoleFailure } from '../../provisioning/failure.js';
import { COMMON_OPTIONS, type CliCommand } from '../command.js';
import { authenticated, fleetKey, openHandset, portSpec } from '../session.js';

export const testAlarm: CliCommand = {
  name: 'test-alarm',
  summary: 'a test alarm (TST report, no emergency call) that reaches the console labelled as a test',
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
      if (!h.value.provisioned) {
        return out.fail({ kind: 'handset', message: `${h.value.id} is not provisioned: it has no key to sign a report with`, next: 'provision it first (tecsos provision)' });
      }
      out.progress({ step: 'test-alarm', status: 'start' });
      const t = await usb.value.testAlarm();
      if (!t.ok) return out.fail(consoleFailure(t.failure, spec.value));
      out.progress({ step: 'test-alarm', status: 'done', detail: 'TST report queued by the handset (no emergency call)' });
      return out.done({ handset: h.value }, 'test alarm sent: the console shows it as a test within a few seconds (SMS delivery)');
    } finally {
      await usb.value.close();
    }
  },
};
