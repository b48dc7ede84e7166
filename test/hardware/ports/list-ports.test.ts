import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPorts } from '../../../hardware/ports/index.js';

describe('listPorts', () => {
  it('maps the system list to specs, sorted', async () => {
    const ports = await listPorts({
      list: async () => [
        { path: '/dev/ttyUSB10', manufacturer: 'FTDI', vendorId: '0403', productId: '6001', serialNumber: 'A1' },
        { path: '/dev/ttyUSB2', manufacturer: undefined },
      ],
    });
    expect(ports).toEqual([
      { spec: '/dev/ttyUSB2', path: '/dev/ttyUSB2', source: 'system' },
      { spec: '/dev/ttyUSB10', path: '/dev/ttyUSB10', manufacturer: 'FTDI', vendorId: '0403', productId: '6001', serialNumber: 'A1', source: 'system' },
    ]);
  });

  it('falls back to scanning the device directory when the system lister fails (no udevadm)', async () => {
    const dev = mkdtempSync(path.join(tmpdir(), 'tecsos-dev-'));
    try {
      for (const n of ['ttyACM0', 'ttyUSB1', 'tty0', 'null', 'ttyS0']) writeFileSync(path.join(dev, n), '');
      const ports = await listPorts({
        list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
        devDir: dev,
      });
      expect(ports.map((p) => [p.spec, p.source])).toEqual([
        [path.join(dev, 'ttyACM0'), 'dev-scan'],
        [path.join(dev, 'ttyUSB1'), 'dev-scan'],
      ]);
    } finally {
      rmSync(dev, { recursive: true, force: true });
    }
  });

  it('works on this machine', async () => {
    const ports = await listPorts();
    for (const p of ports) expect(p.spec.startsWith('/') || /^COM\d+$/.test(p.spec)).toBe(true);
  });
});
