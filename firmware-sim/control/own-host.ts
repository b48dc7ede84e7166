// DNS rebinding defence for the control API: is the Host a browser sent one of this simulator's names?
//
// A page on evil.example whose name its owner re-points at 127.0.0.1 is same-origin with itself
// (`Origin: http://evil.example:8081`, `Host: evil.example:8081`) and could press simulated handsets' buttons.
// The control API listens on 127.0.0.1 only, so its names are the ones that reach that address without a
// DNS answer from outside: an IP literal (v4, or v6 in brackets), `localhost`, and the machine's
// os.hostname() (read at each check). Names compare without case and without a trailing dot; the port is not
// part of the decision. (The gateway has its own copy with configured names, gateway/http/own-host.ts: the
// two never import each other.)
import { isIPv4, isIPv6 } from 'node:net';
import { hostname as osHostname } from 'node:os';

const HOST_HEADER = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/;

function bare(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Whether `host` (a Host header: name[:port], v4[:port] or [v6][:port]) names this machine. */
export function hostIsOwn(host: string, machine: string = osHostname()): boolean {
  const m = HOST_HEADER.exec(host);
  if (m === null) return false;
  if (m[1] !== undefined) return isIPv6(m[1]);
  const name = bare(m[2] as string);
  return isIPv4(name) || name === 'localhost' || name === bare(machine);
}
