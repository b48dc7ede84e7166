// The handset's flash chip, as the firmware sees it: a few named regions, each written whole. The simulated
// part keeps them in memory across a simulated reboot (the Firmware object is rebuilt, the device is not) and
// lets a test corrupt a byte or tear a write in half, as a power cut during programming would.

/** The regions the firmware uses: two slots for the settings image, two for the counters (A/B, see flash.ts). */
export type FlashRegion = 'settings-a' | 'settings-b' | 'counters-a' | 'counters-b';

/** Non-volatile storage. `read` returns undefined for a region never written (erased). */
export interface FlashDevice {
  read(region: FlashRegion): Uint8Array | undefined;
  write(region: FlashRegion, bytes: Uint8Array): void;
  erase(region: FlashRegion): void;
}

/** In-memory flash with fault injection for tests. */
export class MemoryFlashDevice implements FlashDevice {
  private readonly regions = new Map<FlashRegion, Uint8Array>();
  private tearNext = false;
  /** How many writes reached the device (tests check that a counter was persisted before use). */
  writes = 0;

  read(region: FlashRegion): Uint8Array | undefined {
    const r = this.regions.get(region);
    return r === undefined ? undefined : r.slice();
  }

  write(region: FlashRegion, bytes: Uint8Array): void {
    this.writes++;
    if (this.tearNext) {
      // Power lost half way: only the first half of the new bytes reached the cells.
      this.tearNext = false;
      this.regions.set(region, bytes.slice(0, bytes.length >> 1));
      return;
    }
    this.regions.set(region, bytes.slice());
  }

  erase(region: FlashRegion): void {
    this.regions.delete(region);
  }

  /** Flips the bits of one byte of a region (simulated bit rot). */
  corrupt(region: FlashRegion, offset: number): void {
    const r = this.regions.get(region);
    if (r !== undefined && offset < r.length) r[offset] = (r[offset] as number) ^ 0xff;
  }

  /** The next write is torn: only half of it is stored. */
  tearNextWrite(): void {
    this.tearNext = true;
  }
}
