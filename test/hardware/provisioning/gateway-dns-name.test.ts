// The tool is not a browser: it sends no Origin header, so the gateway's DNS-rebinding check (gateway/http
// origin.ts + own-host.ts, which holds only for a request whose Origin names its Host) does not apply to it.
// Before, the tool sent `Origin: <--gateway>` as a browser would, and a gateway reached by a DNS name not in
// its `hostnames` setting (here `runsc`, a name for 127.0.0.1 in /etc/hosts, as on the test machine) refused
// the login with 403 "Host runsc:PORT is not a name of this gateway": an engineer had to use the IP address.
// A browser page on that name is still refused (the same check, with the Origin it always sends).
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { GatewayClient } from '../../../hardware/provisioning/gateway-client.js';
import { makeRig, PASSWORD } from '../cli/rig.js';

/** A name for 127.0.0.1 that is not localhost nor this machine's name (the gateway does not hold it as its own). */
async function foreignName(): Promise<string | undefined> {
  for (const name of ['runsc', 'vm', 'localhost.localdomain']) {
    if (name === hostname()) continue;
    const a = await lookup(name, { family: 4 }).catch(() => undefined);
    if (a?.address === '127.0.0.1') return name;
  }
  return undefined;
}

describe('GatewayClient against the gateway by a DNS name it does not list', () => {
  it('logs in, lists and logs out; a browser request (with Origin) by that name is still refused', async (ctx) => {
    const name = await foreignName();
    if (name === undefined) return ctx.skip();
    const rig = await makeRig();
    const url = (rig.app?.url as string).replace('127.0.0.1', name);
    const gw = new GatewayClient(url);
    const login = await gw.login('engineer', PASSWORD);
    expect(login).toMatchObject({ ok: true, value: { role: 'engineer' } });
    const list = await gw.listHandsets();
    expect(list.ok).toBe(true);
    await gw.logout();

    const browser = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'engineer', password: PASSWORD }),
    });
    expect(browser.status).toBe(403);
    expect(await browser.text()).toMatch(/is not a name of this gateway/);
  });
});
