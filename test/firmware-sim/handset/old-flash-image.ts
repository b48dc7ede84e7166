// A counter record as firmware before the `alarm` field wrote it (flash.ts layout), built byte by byte here so
// that the tests do not lean on the encoder they check: "TSF1" | generation u32 | length u32 | JSON | CRC-32.
import { crc32 } from '../../../firmware-sim/handset/crc32.js';

/** The previous firmware's counter payload: report counter, no TSC1 window yet, one bad signature. */
export const OLD_COUNTERS_JSON = '{"reports":41,"commands":null,"auth":{"badSignatures":1,"lockedUntilMs":0}}';

export function oldCounterRecord(generation = 7, json = OLD_COUNTERS_JSON): Uint8Array {
  const body = new TextEncoder().encode(json);
  const record = new Uint8Array(12 + body.length + 4);
  const view = new DataView(record.buffer);
  record.set(new TextEncoder().encode('TSF1'), 0);
  view.setUint32(4, generation);
  view.setUint32(8, body.length);
  record.set(body, 12);
  view.setUint32(12 + body.length, crc32(record.subarray(0, 12 + body.length)));
  return record;
}
