// tecsos selftest --port SPEC: the GPS live (AT+TSGPS=1, NMEA decoded with protocol/nmea: fix, satellites,
// HDOP as they change, until a fix), then AT+TSSELFTEST (flash, battery, button: press it when asked,
// modem registration and signal, gps). Exit 7 when a part fails.

import { consoleFailure } from '../../provisioning/failure.js';
import { watchGps, type GpsStatus } from '../../provisioning/gps-watch.js';
import { runSelfTest } from '../../provisioning/self-test.js';
import { COMMON_OPTIONS, int, type CliCommand } from '../command.js';
import { authenticated, fleetKey, openHandset, portSpec } from '../session.js';
import { allowFailOption } from './shared-options.js';

/** Least time between two GPS status lines (ms). */
const GPS_NOTE_MS = 1000;

function describe(s: GpsStatus): string {
  const sats = Number.isNaN(s.satellites) ? '?' : String(s.satellites);
  const hdop = Number.isNaN(s.hdop) ? '-' : s.hdop.toFixed(1);
  return `${s.fix ? 'FIX' : 'no fix'}, ${sats} satellites, HDOP ${hdop}`;
}

export const selftest: CliCommand = {
  name: 'selftest',
  summary: 'GPS fix (live satellites and HDOP), modem registration and signal, battery, button press',
  usage: '--port SPEC [--key-file PATH] [--gps-wait S] [--button-wait S] [--allow-fail PART,...] [--json]',
  options: {
    ...COMMON_OPTIONS,
    port: { type: 'string' },
    'key-file': { type: 'string' },
    'gps-wait': { type: 'string' },
    'button-wait': { type: 'string' },
    'allow-fail': { type: 'string' },
  },
  async run(values, io, out) {
    const spec = portSpec(values);
    if (!spec.ok) return out.fail(spec.failure);
    const gpsWait = int(values, 'gps-wait', 0, 3600);
    const buttonWait = int(values, 'button-wait', 0, 3600);
    const allow = allowFailOption(values);
    const usage = (reason: string) => out.fail({ kind: 'usage', message: reason, next: `usage: tecsos selftest ${selftest.usage}` });
    if (!gpsWait.ok) return usage(gpsWait.reason);
    if (!buttonWait.ok) return usage(buttonWait.reason);
    if (!allow.ok) return usage(allow.reason);
    // The key file is checked before the port is opened (docs/provisioning.md): a bad key is exit 8 whatever the port.
    const key = await fleetKey(values, io);
    if (!key.ok) return out.fail(key.failure);
    const usb = await openHandset(io, spec.value);
    if (!usb.ok) return out.fail(usb.failure);
    try {
      const h = await authenticated(key.value, usb.value, spec.value, out);
      if (!h.ok) return out.fail(h.failure);
      out.progress({ step: 'gps', status: 'start', detail: 'raw NMEA from the handset (AT+TSGPS=1)' });
      // A receiver gives one GGA a second: a change is shown at most once a second (the fix at once). A device
      // streaming GGAs as fast as the line goes, each differing from the last, printed a line per sentence (1.5
      // million in 20 s over tcp://) and kept each for --json: about 300 MB after 20 s, growing for --gps-wait.
      let last = '';
      let shownAt = -Infinity;
      const gps = await watchGps(usb.value, (gpsWait.value ?? 120) * 1000, (s) => {
        const d = describe(s);
        const t = io.now();
        if (d === last || (t - shownAt < GPS_NOTE_MS && !s.fix)) return;
        out.progress({ step: 'gps', status: 'note', detail: d });
        last = d;
        shownAt = t;
      }, io.sleep, io.now);
      if (!gps.ok) return out.fail(consoleFailure(gps.failure, spec.value));
      out.progress({ step: 'gps', status: gps.value.fix ? 'done' : 'failed', detail: gps.value.status === undefined ? 'no NMEA received' : describe(gps.value.status) });
      out.progress({ step: 'self-test', status: 'start' });
      const st = await runSelfTest(usb.value, {
        buttonWaitMs: (buttonWait.value ?? 60) * 1000,
        allowFail: allow.value,
        sleep: io.sleep,
        now: io.now,
        onPressButton: () => out.progress({ step: 'self-test', status: 'note', detail: `press the handset's button once now (waiting up to ${buttonWait.value ?? 60} s)` }),
      });
      if (!st.ok) return out.fail(consoleFailure(st.failure, spec.value));
      for (const i of st.value.items) out.progress({ step: 'self-test', status: 'note', detail: `${i.part}: ${i.ok ? 'pass' : 'FAIL'} (${i.detail})` });
      const data = { handset: h.value, gps: gps.value.status ?? null, selfTest: st.value.items };
      const gpsOk = gps.value.fix || allow.value.has('gps');
      if (!st.value.passed || !gpsOk) {
        const parts = [...st.value.failed.map((i) => `${i.part} (${i.detail})`), ...(gpsOk ? [] : ['gps stream (no fix)'])];
        return out.fail({ kind: 'verification', message: `self-test failed: ${[...new Set(parts)].join(', ')}`, next: 'fix the failing part and run tecsos selftest again' }, data);
      }
      out.progress({ step: 'self-test', status: 'done' });
      return out.done(data, `${h.value.id}: self-test passed`);
    } finally {
      await usb.value.close();
    }
  },
};
