// tecsos list: serial devices with USB ids, serial number and manufacturer; configured handset ids marked.

import { discoverPorts } from '../../usb/discover.js';
import { HANDSET_IDS_ENV, handsetIdsFrom } from '../../usb/handset-usb-ids.js';
import { COMMON_OPTIONS, str, type CliCommand } from '../command.js';

/**
 * The device's `/dev/serial/by-id/` link, from udev's name for it (node-serialport's `pnpId` on Linux): the name
 * docs/operations.md tells an operator to give the gateway, since it survives re-enumeration where `ttyUSB0` does
 * not, and, for a modem with several interfaces, the one that tells them apart (`...-if02-port0`). Only a name udev
 * could have made (no path separator): elsewhere `pnpId` is something else (Windows: `USB\VID_...`).
 */
function byIdLink(pnpId: string | undefined): string | undefined {
  return pnpId !== undefined && /^[\w#+.:=@-]+$/.test(pnpId) ? `/dev/serial/by-id/${pnpId}` : undefined;
}

export const list: CliCommand = {
  name: 'list',
  summary: 'serial devices (USB ids, serial number, manufacturer); handsets marked',
  usage: `[--handset-ids VID:PID,...] [--json]`,
  options: { ...COMMON_OPTIONS, 'handset-ids': { type: 'string' } },
  async run(values, io, out) {
    const ids = handsetIdsFrom(str(values, 'handset-ids'), io.env);
    if (!ids.ok) return out.fail({ kind: 'usage', message: ids.reason, next: `fix --handset-ids or ${HANDSET_IDS_ENV}` });
    let ports;
    try {
      ports = await discoverPorts(ids.value, io.listOptions);
    } catch (err) {
      return out.fail({ kind: 'port', message: `cannot list serial devices: ${(err as Error).message}`, next: 'check /dev is readable' });
    }
    for (const p of ports) {
      const mark = p.handset ? '*' : ' ';
      const meta = [p.usbId ?? (p.source === 'dev-scan' ? 'no USB data (udev unavailable)' : 'no USB id'), p.serialNumber && `serial ${p.serialNumber}`, p.manufacturer, byIdLink(p.pnpId)].filter(Boolean).join('  ');
      out.text(`${mark} ${p.spec.padEnd(24)} ${meta}${p.handset ? '  <- TecSOS handset' : ''}`);
    }
    if (ports.length === 0) out.text('no serial devices found');
    if (ids.value.length === 0) out.text(`(no handset USB ids configured: set ${HANDSET_IDS_ENV}=vid:pid[,...] or --handset-ids to mark handsets)`);
    const handsets = ports.filter((p) => p.handset).length;
    return out.done({ ports, handsetIds: ids.value.map((i) => `${i.vendorId}:${i.productId}`) }, `${ports.length} serial device(s), ${handsets} handset(s)`);
  },
};
