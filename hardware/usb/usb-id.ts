// USB vendor:product ids, as `lsusb` prints them and node-serialport lists them: four hex digits each,
// `1209:7e50`. node-serialport gives them lower case without `0x` on Linux, upper case on Windows.

/** A USB id pair, lower-case hex. */
export type UsbId = { readonly vendorId: string; readonly productId: string };

/** Parses `vvvv:pppp` (case-insensitive, optional `0x`); a reason when it is not one. */
export function parseUsbId(text: string): { ok: true; value: UsbId } | { ok: false; reason: string } {
  const m = /^(?:0x)?([0-9a-f]{4}):(?:0x)?([0-9a-f]{4})$/i.exec(text.trim());
  if (m === null) return { ok: false, reason: `USB id ${JSON.stringify(text)} is not vendor:product in hex, like 1209:7e50` };
  return { ok: true, value: { vendorId: (m[1] as string).toLowerCase(), productId: (m[2] as string).toLowerCase() } };
}

/** Normalises a listed id (`0x1209`, `1209`, `1209 `) to four lower-case hex digits, or undefined. */
export function normaliseIdPart(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^(?:0x)?([0-9a-f]{1,4})$/i.exec(text.trim());
  return m === null ? undefined : (m[1] as string).toLowerCase().padStart(4, '0');
}

export function formatUsbId(id: UsbId): string {
  return `${id.vendorId}:${id.productId}`;
}
