// listPorts(): the serial devices on this machine, for `tecsos list` and the engineer's CLI.
// node-serialport lists through `udevadm info -e` on Linux; where udev is absent (containers, minimal
// installs) that fails, so the list falls back to the device nodes that look like serial adapters.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { SerialPort } from 'serialport';

/** One serial device; `spec` opens it with openPort. */
export type ListedPort = {
  readonly spec: string;
  readonly path: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly pnpId?: string;
  /** Where the entry came from: the OS's device database, or a scan of /dev (no metadata). */
  readonly source: 'system' | 'dev-scan';
};

type RawPortInfo = {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
  pnpId?: string | undefined;
};

export type ListPortsOptions = {
  /** The system lister (default: node-serialport's SerialPort.list). */
  readonly list?: () => Promise<RawPortInfo[]>;
  /** Where to scan when the system lister fails (default /dev). */
  readonly devDir?: string;
};

/** USB-serial, CDC-ACM modems, on-board UARTs of small boards, Bluetooth serial: what a handset or modem shows as. */
const SERIAL_NODE = /^(ttyUSB|ttyACM|ttyAMA|ttyXRUSB|ttyWCH|rfcomm)\d+$/;

/** Lists serial devices, sorted by path. Never rejects for a missing udev; rejects only if /dev is unreadable. */
export async function listPorts(options: ListPortsOptions = {}): Promise<ListedPort[]> {
  const list = options.list ?? (() => SerialPort.list());
  let ports: ListedPort[];
  try {
    ports = (await list()).map((p) => {
      const entry: { -readonly [K in keyof ListedPort]: ListedPort[K] } = { spec: p.path, path: p.path, source: 'system' };
      for (const key of ['manufacturer', 'serialNumber', 'vendorId', 'productId', 'pnpId'] as const) {
        const v = p[key];
        if (v !== undefined) entry[key] = v;
      }
      return entry;
    });
  } catch {
    const dir = options.devDir ?? '/dev';
    const names = await readdir(dir);
    ports = names.filter((n) => SERIAL_NODE.test(n)).map((n) => ({ spec: path.join(dir, n), path: path.join(dir, n), source: 'dev-scan' }));
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}
