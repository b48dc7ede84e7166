// tecsos info --port SPEC: the handset's id, firmware, IMEI and whether it is provisioned. No key needed
// (AT+TSINFO? works unauthenticated, even while locked).

import { COMMON_OPTIONS, type CliCommand } from '../command.js';
import { identify, openHandset, portSpec } from '../session.js';

export const info: CliCommand = {
  name: 'info',
  summary: "the handset's id, firmware, IMEI, provisioned or not",
  usage: '--port SPEC [--json]',
  options: { ...COMMON_OPTIONS, port: { type: 'string' } },
  async run(values, io, out) {
    const spec = portSpec(values);
    if (!spec.ok) return out.fail(spec.failure);
    const usb = await openHandset(io, spec.value);
    if (!usb.ok) return out.fail(usb.failure);
    try {
      const h = await identify(usb.value, spec.value, out);
      if (!h.ok) return out.fail(h.failure);
      return out.done({ handset: h.value }, `${h.value.id}: firmware ${h.value.firmware}, IMEI ${h.value.imei}, ${h.value.provisioned ? 'provisioned' : 'NOT provisioned'}`);
    } finally {
      await usb.value.close();
    }
  },
};
