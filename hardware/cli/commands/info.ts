// tecsos info --port SPEC: the handset's id, firmware, IMEI, whether it is provisioned, and whether its console is
// locked (three bad fleet-key signatures: for how long, and what to do). No key needed (AT+TSINFO? and AT+TSAUTH?
// work unauthenticated, AT+TSINFO? even while locked; provisioning/lock-state.ts).
//
//   TS-0042: firmware 1.0.0, IMEI 356938035643809, provisioned, LOCKED for 14 min 33 s more (until 12:47 UTC): ...
//   what to do: wait until the lock ends ...
//
// --json: {command, ok, exitCode, handset: {id, firmware, imei, provisioned}, lock, progress}, with `lock`
// {"locked": false}, {"locked": true, "secondsLeft": 873 | null, "until": ISO | null, "next": "..."}, or
// {"locked": null, "reason": "..."} when the handset did not answer the question (info still succeeds).

import { lockedAdvice, minutesAndSeconds, readLockState } from '../../provisioning/lock-state.js';
import { COMMON_OPTIONS, type CliCommand } from '../command.js';
import { identify, openHandset, portSpec } from '../session.js';

export const info: CliCommand = {
  name: 'info',
  summary: "the handset's id, firmware, IMEI, provisioned or not, locked or not",
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
      const summary = `${h.value.id}: firmware ${h.value.firmware}, IMEI ${h.value.imei}, ${h.value.provisioned ? 'provisioned' : 'NOT provisioned'}`;
      const lock = await readLockState(usb.value);
      if (lock.locked === false) return out.done({ handset: h.value, lock }, summary);
      if (lock.locked === null) return out.done({ handset: h.value, lock }, `${summary}, lock: unknown (${lock.reason})`);
      const next = lockedAdvice(h.value.provisioned);
      const left = lock.secondsLeft;
      const until = left === null ? null : new Date(io.now() + left * 1000);
      const how = left === null || until === null ? '' : ` for ${minutesAndSeconds(left)} more (until ${until.toISOString().slice(11, 16)} UTC)`;
      const text = `${summary}, LOCKED${how}: three bad fleet-key signatures in a row\nwhat to do: ${next}`;
      return out.done({ handset: h.value, lock: { locked: true, secondsLeft: left, until: until?.toISOString() ?? null, next } }, text);
    } finally {
      await usb.value.close();
    }
  },
};
