// A gateway that refuses the tool because --gateway names it by a DNS name it does not hold as its own (the DNS
// rebinding check, gateway/http/origin.ts). The tool no longer sends Origin (gateway-dns-name.test.ts), so only a
// proxy that adds one meets this now. Against a real gateway, with Origin sent,
// `--gateway http://runsc:PORT` (a name in /etc/hosts for 127.0.0.1) was refused at the login with the right
// reason, but "what to do" said "check --gateway, --user and the password variable".
import { describe, expect, it } from 'vitest';
import { gatewayFailure } from '../../../hardware/provisioning/failure.js';

const NEXT = 'check --gateway, --user and the password variable; nothing was written to the handset';

describe('gatewayFailure', () => {
  it('a Host the gateway does not hold as its own: what to do names the IP address and the hostnames setting', () => {
    const f = gatewayFailure({
      kind: 'refused', status: 403, error: 'forbidden',
      message: 'Host cr-gw.force.example:8443 is not a name of this gateway (a DNS-rebound page?); if consoles use it, add it to the gateway\'s hostnames',
    }, NEXT, 'unchanged');
    expect(f.message).toMatch(/^gateway refused \(403 forbidden\): Host cr-gw\.force\.example:8443 is not a name/);
    expect(f.next).toBe(`give --gateway the gateway's IP address, or have its operator add cr-gw.force.example to its hostnames (docs/operations.md); ${NEXT}`);
    expect(f.handsetState).toBe('unchanged');
  });

  it('any other refusal keeps the caller\'s advice', () => {
    expect(gatewayFailure({ kind: 'refused', status: 403, error: 'forbidden', message: 'foreign Origin: request refused' }, NEXT).next).toBe(NEXT);
    expect(gatewayFailure({ kind: 'refused', status: 401, error: 'unauthorised', message: 'wrong username or password' }, NEXT).next).toBe(NEXT);
  });
});
