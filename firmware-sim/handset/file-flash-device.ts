// A handset's flash chip kept in files, so that it survives the simulator being stopped and started again, as
// a real handset's flash survives a power cut: `npm run sim` keeps each handset's regions in
// `<dir>/<region>` (settings-a, settings-b, counters-a, counters-b; the record format is flash.ts's).
//
// Why it matters: the report counter `n` must never go back (DESIGN.md). With a fresh in-memory chip per run,
// a restarted simulator sent BOT n=1, ALM n=2, ... again to a gateway that had kept ./data: every report was
// refused as a replay until n passed the first run's highest, so the second `make demo`'s alarm showed no
// position. Each write goes to a temporary file that is then renamed over the region, so a crash mid-write
// leaves the region as it was (flash.ts's A/B slots need nothing more).

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlashDevice, FlashRegion } from './flash-device.js';

/** Flash regions as files in one directory (created, mode 0700: the settings hold the report key). */
export class FileFlashDevice implements FlashDevice {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  read(region: FlashRegion): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(join(this.dir, region)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  write(region: FlashRegion, bytes: Uint8Array): void {
    const tmp = join(this.dir, `${region}.tmp`);
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, join(this.dir, region));
  }

  erase(region: FlashRegion): void {
    rmSync(join(this.dir, region), { force: true });
  }
}
