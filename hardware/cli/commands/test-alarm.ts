// tecsos test-alarm --port SPEC: AT+TSTEST, a TST report signed with the handset's key, sent to the gateway
// (no emergency call); the console shows it labelled as a test. Without --gateway the tool can only say that the
// handset queued it. With --gateway URL (an engineer's login, the password from the environment as for
// provision) it signs in before the handset sends, then waits up to --verify-wait seconds until the gateway has
// the report (provisioning/report-check.ts): exit 0 means it reached the gateway, 7 that it did not.

import { GatewayClient, parseGatewayUrl } from '../../provisioning/gateway-client.js';
import { consoleFailure, gatewayFailure } from '../../provisioning/failure.js';
import { verifyReport } from '../../provisioning/report-check.js';
import { COMMON_OPTIONS, int, str, type CliCommand, type OptionValues } from '../command.js';
import type { CliIo } from '../io.js';
import { authenticated, fleetKey, openHandset, portSpec } from '../session.js';
import { gatewayPassword } from './provision.js';

/** The gateway to confirm with, from the options: undefined without --gateway, or the first usage problem. */
function gatewayOptions(values: OptionValues, io: CliIo): { ok: true; value?: { origin: string; username: string; password: string; waitMs: number } } | { ok: false; reason: string } {
  const url = str(values, 'gateway');
  if (url === undefined) return { ok: true };
  const gw = parseGatewayUrl(url);
  if (!gw.ok) return { ok: false, reason: gw.reason };
  const wait = int(values, 'verify-wait', 0, 3600);
  if (!wait.ok) return wait;
  const password = gatewayPassword(values, io);
  if (!password.ok) return password;
  return { ok: true, value: { origin: gw.origin, username: str(values, 'user') ?? 'engineer', password: password.value, waitMs: (wait.value ?? 120) * 1000 } };
}

const GATEWAY_NEXT = 'check --gateway, --user and the password variable; no test alarm was sent';

export const testAlarm: CliCommand = {
  name: 'test-alarm',
  summary: 'a test alarm (TST report, no emergency call) that reaches the console labelled as a test',
  usage: '--port SPEC [--key-file PATH] [--gateway URL [--user engineer] [--password-env TECSOS_PASSWORD] [--verify-wait 120]] [--json]',
  options: {
    ...COMMON_OPTIONS,
    port: { type: 'string' },
    'key-file': { type: 'string' },
    gateway: { type: 'string' },
    user: { type: 'string' },
    'password-env': { type: 'string' },
    'verify-wait': { type: 'string' },
  },
  async run(values, io, out) {
    const spec = portSpec(values);
    if (!spec.ok) return out.fail(spec.failure);
    const confirm = gatewayOptions(values, io);
    if (!confirm.ok) return out.fail({ kind: 'usage', message: confirm.reason, next: 'fix the options (tecsos test-alarm --help); nothing was done' });
    // The key file is checked before the port is opened (docs/provisioning.md): a bad key is exit 8 whatever the port.
    const key = await fleetKey(values, io);
    if (!key.ok) return out.fail(key.failure);
    // Signed in before the handset sends: a gateway problem costs no test report.
    let gateway: GatewayClient | undefined;
    if (confirm.value !== undefined) {
      gateway = new GatewayClient(confirm.value.origin, io.fetch);
      const login = await gateway.login(confirm.value.username, confirm.value.password);
      if (!login.ok) return out.fail(gatewayFailure(login.failure, GATEWAY_NEXT));
    }
    const usb = await openHandset(io, spec.value);
    if (!usb.ok) return out.fail(usb.failure);
    try {
      const h = await authenticated(key.value, usb.value, spec.value, out);
      if (!h.ok) return out.fail(h.failure);
      if (!h.value.provisioned) {
        return out.fail({ kind: 'handset', message: `${h.value.id} is not provisioned: it has no key to sign a report with`, next: 'provision it first (tecsos provision)' });
      }
      out.progress({ step: 'test-alarm', status: 'start' });
      if (gateway === undefined || confirm.value === undefined) {
        const t = await usb.value.testAlarm();
        if (!t.ok) return out.fail(consoleFailure(t.failure, spec.value));
        out.progress({ step: 'test-alarm', status: 'done', detail: 'TST report queued by the handset (no emergency call)' });
        return out.done({ handset: h.value }, 'test alarm sent: the console shows it as a test within a few seconds (SMS delivery); with --gateway the tool waits until it has');
      }
      const mark = await gateway.listHandsets();
      if (!mark.ok) return out.fail(gatewayFailure(mark.failure, GATEWAY_NEXT));
      const listed = mark.value.find((x) => x.id === h.value.id);
      if (listed === undefined) return out.fail({ kind: 'gateway', message: `${h.value.id} is not registered with the gateway at ${confirm.value.origin}`, next: 'register it (tecsos provision); no test alarm was sent' });
      const problem = await verifyReport(usb.value, gateway, h.value.id, listed, confirm.value.waitMs, { now: io.now, sleep: io.sleep });
      if (problem !== undefined) {
        return out.fail({ kind: 'verification', message: `test alarm: ${problem}`, next: `check the gateway's modem lines and the handset's signal (tecsos selftest --port ${spec.value}), then try again` });
      }
      out.progress({ step: 'test-alarm', status: 'done', detail: 'the test report reached the gateway' });
      return out.done({ handset: h.value, reachedGateway: true }, 'test alarm reached the gateway: the console shows it as a test');
    } finally {
      await usb.value.close();
    }
  },
};
