// A pseudo-terminal for programs that only open serial devices (gammu, smsd): socat creates the pty, links
// it at `path`, and forwards its bytes to a TCP port (normally a TcpSerialServer in front of a SimModem):
//
//   socat -d -d pty,raw,echo=0,link=/tmp/simmodem0 TCP:127.0.0.1:7101
//
// `raw,echo=0` keeps the line discipline from echoing or translating CR/LF, so that the program sees only what
// the modem sends. socat runs as a child process and is killed on close. Each time the program closes and
// reopens the pty, socat keeps running (`ignoreeof` is not needed: the pty master stays open).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';

/** Where to put the pty link and which TCP port to forward to. */
export interface PtyBridgeOptions {
  /** The symlink socat creates to the pty slave, e.g. /tmp/simmodem0. */
  readonly path: string;
  readonly tcpHost?: string;
  readonly tcpPort: number;
  /** How long to wait for socat to create the link before giving up (ms, default 10000). */
  readonly startTimeoutMs?: number;
  /** The socat binary (default `socat` on PATH). */
  readonly socat?: string;
}

/** A running socat bridge. */
export class PtyBridge {
  private exited = false;
  private readonly exitPromise: Promise<void>;
  /** socat's stderr (its `-d -d` diagnostics), kept for error messages. */
  stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly path: string,
  ) {
    this.exitPromise = new Promise<void>((resolve) => {
      child.once('exit', () => {
        this.exited = true;
        resolve();
      });
      child.once('error', () => {
        this.exited = true;
        resolve();
      });
    });
    child.stderr?.on('data', (c: Buffer) => {
      if (this.stderr.length < 16_384) this.stderr += c.toString('utf8');
    });
  }

  /** Spawns socat and resolves once the pty link exists (throws with socat's diagnostics otherwise). */
  static async start(options: PtyBridgeOptions): Promise<PtyBridge> {
    const args = [
      '-d',
      '-d',
      `pty,raw,echo=0,link=${options.path}`,
      `TCP:${options.tcpHost ?? '127.0.0.1'}:${options.tcpPort}`,
    ];
    const child = spawn(options.socat ?? 'socat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const bridge = new PtyBridge(child, options.path);
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    while (!linkExists(options.path)) {
      if (bridge.exited || Date.now() > deadline) {
        await bridge.close();
        throw new Error(
          `socat did not create the pty ${options.path} (is socat installed? stderr: ${bridge.stderr.trim()})`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return bridge;
  }

  /** Process id of socat. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Kills socat (SIGTERM, then SIGKILL after 2 s) and waits for it to exit. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.exitPromise;
    clearTimeout(timer);
  }
}

function linkExists(path: string): boolean {
  try {
    return existsSync(path) && lstatSync(path) !== undefined;
  } catch {
    return false;
  }
}
