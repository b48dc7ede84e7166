// The ports `make demo` listens on, the check that they are free, and what to say when they are not.
//
//   node scripts/demo-ports.mjs        exit 0 when every port is free; otherwise say who holds them, exit 1
//
// Why a script of its own, in plain JavaScript with no packages: the Makefile runs it before anything else of
// `make demo` (before the npm and Debian installs and the build). With the check only in scripts/demo.ts, a
// second `make demo` while one was running first rebuilt dist/ and console/dist/ (about 20 s; the running
// gateway reads console/dist/ at every request, so a reload of the console during the build could get a
// half-written app.js) and only then said the ports were taken. scripts/demo.ts imports the same list and
// checks again just before it starts the programs (`npm run demo` skips make).

import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HTTP_HOST = '127.0.0.1';
/** The gateway: console and API. */
export const HTTP_PORT = 8080;
/** The simulator's control API and handset emulator page. */
export const CONTROL_PORT = 8081;
/** The simulator's modem bank, one port per line. */
export const LINE_PORTS = Object.freeze([7101, 7102, 7103, 7104]);
/** The simulated handsets' USB consoles (the simulator's defaults). */
export const USB_PORTS = Object.freeze([7201, 7202, 7203]);

/** Every port the demo listens on, with what it is for (named when one is taken). */
export const DEMO_PORTS = Object.freeze([
  { port: HTTP_PORT, what: 'the console and API (gateway)' },
  { port: CONTROL_PORT, what: 'the handset emulator (simulator)' },
  ...LINE_PORTS.map((port, i) => ({ port, what: `modem bank line ${i + 1} (simulator)` })),
  ...USB_PORTS.map((port, i) => ({ port, what: `handset TS-000${i + 1}'s USB console (simulator)` })),
]);

/** True when nothing listens on 127.0.0.1:port (we could bind it). */
export function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: HTTP_HOST, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** The demo's ports that are taken. */
export async function busyPorts(ports = DEMO_PORTS) {
  const busy = [];
  for (const p of ports) if (!(await portFree(p.port))) busy.push(p);
  return busy;
}

function readOr(file, fallback) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** The socket inodes listening on `port` (any address), from /proc/net/tcp{,6}. Linux only; empty elsewhere. */
function listeningInodes(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readOr(table, '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; st 0A is LISTEN; the inode is the tenth field.
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1].split(':')[1] ?? '', 16) === port) inodes.add(f[9]);
    }
  }
  return inodes;
}

/** The process holding one of the sockets (found in /proc/PID/fd: the same user's processes, or root's). */
function pidOfSocket(inodes) {
  if (inodes.size === 0) return undefined;
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1])) return Number(pid);
    }
  }
  return undefined;
}

function commandLine(pid) {
  return readOr(`/proc/${pid}/cmdline`, '').split('\0').filter(Boolean).join(' ');
}

function parentPid(pid) {
  const stat = readOr(`/proc/${pid}/stat`, '');
  const m = /\)\s+\S+\s+(\d+)/.exec(stat.slice(stat.lastIndexOf(')')));
  return m ? Number(m[1]) : undefined;
}

function cwdOf(pid) {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** The scripts/demo.ts process that `pid` is or descends from (the one to stop), if any. */
function demoAncestor(pid) {
  for (let p = pid, hops = 0; p !== undefined && p > 1 && hops < 32; p = parentPid(p), hops++) {
    if (/(^|[\s/])scripts\/demo\.ts(\s|$)/.test(commandLine(p))) return p;
  }
  return undefined;
}

function shorten(s, n = 100) {
  return s.length > n ? `${s.slice(0, n - 3)}...` : s;
}

/**
 * undefined when every demo port is free; otherwise the text to print (stderr) instead of starting: a demo
 * already running (found through /proc: the process holding a port is scripts/demo.ts or one of its children)
 * is named with its URLs and how to stop it; other ports with the process holding each, when /proc tells.
 * Nothing connects to the ports: whatever holds them is not disturbed.
 */
export async function refusal() {
  const busy = await busyPorts();
  if (busy.length === 0) return undefined;

  const held = busy.map((b) => {
    const pid = pidOfSocket(listeningInodes(b.port));
    return { ...b, pid, demo: pid === undefined ? undefined : demoAncestor(pid) };
  });

  const out = [];
  const demos = [...new Set(held.map((h) => h.demo).filter((d) => d !== undefined))];
  for (const d of demos) {
    const where = cwdOf(d);
    const ports = held.filter((h) => h.demo === d).map((h) => h.port);
    const urls = [
      ...(ports.includes(HTTP_PORT) ? [`  Console (call handlers):   http://${HTTP_HOST}:${HTTP_PORT}/`] : []),
      ...(ports.includes(CONTROL_PORT) ? [`  Handset emulator:          http://${HTTP_HOST}:${CONTROL_PORT}/`] : []),
    ];
    const head = `demo: a TecSOS demo is already running (process ${d}${where ? `, started in ${where}` : ''})`;
    out.push(...(urls.length > 0 ? [`${head}:`, ...urls] : [`${head}, on port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}.`]));
  }
  const others = held.filter((h) => h.demo === undefined);
  if (others.length > 0) {
    out.push(`demo: cannot start, port${others.length > 1 ? 's' : ''} already in use:`);
    for (const h of others) {
      out.push(`  ${HTTP_HOST}:${h.port} (${h.what})${h.pid === undefined ? '' : `: process ${h.pid} (${shorten(commandLine(h.pid))})`}`);
    }
  }
  if (demos.length > 0) {
    const kill = demos.map((d) => `kill -INT ${d}`).join('; ');
    out.push(`Use it, or stop it with Ctrl-C in its terminal (or \`${kill}\`), then run \`make demo\` again.`);
  } else {
    out.push('Is another `make demo` (or a gateway or simulator) running? Stop it and run `make demo` again.');
  }
  out.push('Nothing was started, built or written.');
  return `${out.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await refusal();
  if (text !== undefined) {
    process.stderr.write(text);
    process.exitCode = 1;
  }
}
