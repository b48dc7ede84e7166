// DNS rebinding defence: is the Host a browser sent one of this gateway's own names?
//
// A page on evil.example whose name its owner re-points at the gateway's address (127.0.0.1 on the
// workstation, or the gateway's LAN address) is same-origin with itself: its requests carry
// `Origin: http://evil.example:8080` and `Host: evil.example:8080`. The same-origin rule of origin.ts
// therefore holds only for a Host that names this gateway:
//   - an IP literal (v4, or v6 in brackets): a browser that asked for an address followed no DNS name;
//   - `localhost`, and the machine's os.hostname() (read at each check: a host can be renamed);
//   - the host of `http` (TECSOS_HTTP) when it is a name;
//   - the names the operator configures (`hostnames`, TECSOS_HOSTNAMES): the DNS names consoles use.
// Names compare without case and without a trailing dot; the port is not part of the decision (the request
// reached this server's port whatever name it used).
import { isIPv4, isIPv6 } from 'node:net';
import { hostname as osHostname } from 'node:os';

const HOST_HEADER = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/;

function bare(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Whether `host` (a Host header: name[:port], v4[:port] or [v6][:port]) names this gateway. */
export function hostIsOwn(host: string, names: { readonly listenHost: string; readonly hostnames: readonly string[] }, machine: string = osHostname()): boolean {
  const m = HOST_HEADER.exec(host);
  if (m === null) return false;
  if (m[1] !== undefined) return isIPv6(m[1]);
  const name = bare(m[2] as string);
  if (isIPv4(name) || name === 'localhost' || name === bare(machine) || name === bare(names.listenHost)) return true;
  return names.hostnames.some((n) => bare(n) === name);
}
