// How many client connections the HTTP edge holds at once (HttpConfig.maxConnections), within the process's
// file descriptor limit. Every connection is a descriptor, and so is every modem link, the store and its WAL:
// clients must never take them all. Node raises its soft limit to the hard one at start (20,000 here, 524,288
// under systemd by default), but a service started with a low `ulimit -n` (256, 1024) keeps it: then at most
// half of it goes to clients.
//
//   /proc/self/limits:  "Max open files            1024                 524288               files"
//                                                   ^ soft (what applies)

import { readFileSync } from 'node:fs';

/** The soft "Max open files" of /proc/self/limits text, or undefined (not Linux, unreadable, unlimited). */
export function openFilesLimit(limits: string): number | undefined {
  const m = /^Max open files\s+(\d+)\s/m.exec(limits);
  return m === null ? undefined : Number(m[1]);
}

/** The cap: the configured one, and at most half the descriptor limit when it is known. */
export function connectionCap(configured: number, limits: string | undefined = readLimits()): number {
  const fds = limits === undefined ? undefined : openFilesLimit(limits);
  return fds === undefined ? configured : Math.max(1, Math.min(configured, Math.floor(fds / 2)));
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}
