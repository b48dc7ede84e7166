// USB discovery for `tecsos list`: the serial devices from hardware/ports' listPorts (node-serialport's list,
// or a /dev scan where udev is missing), each marked when its vendor:product id is a configured handset id.

import { listPorts, type ListedPort, type ListPortsOptions } from '../ports/index.js';
import { formatUsbId, normaliseIdPart, type UsbId } from './usb-id.js';

/** One serial device, with `handset` true when its USB id is a configured handset id. */
export type DiscoveredPort = ListedPort & { readonly usbId?: string; readonly handset: boolean };

/** Lists serial devices and marks the handsets. */
export async function discoverPorts(handsetIds: readonly UsbId[], options: ListPortsOptions = {}): Promise<DiscoveredPort[]> {
  const known = new Set(handsetIds.map(formatUsbId));
  return (await listPorts(options)).map((p) => {
    const vendorId = normaliseIdPart(p.vendorId);
    const productId = normaliseIdPart(p.productId);
    if (vendorId === undefined || productId === undefined) return { ...p, handset: false };
    const usbId = formatUsbId({ vendorId, productId });
    return { ...p, usbId, handset: known.has(usbId) };
  });
}
