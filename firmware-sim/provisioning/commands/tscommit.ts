// AT+TSCOMMIT -> OK, or +CME ERROR: 514 when the result would be half-provisioned, or 515 while an alarm is
// being tracked and the commit would change what that alarm runs on (ALARM_FIXED below).
// Writes the staged config and key to flash in one atomic write (handset/flash.ts: A/B slots), then the
// firmware applies it. A provisioned handset needs a gateway number and a key. A refused commit writes nothing
// and keeps the staging (the session can commit it once the alarm is over).

import type { HandsetConfig } from '../../handset/config.js';
import { CONFIG_NAMES } from '../../handset/config-names.js';
import { alarmEnds } from '../alarm-ends.js';
import { fail, ok, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';

/**
 * Settings a live alarm depends on, which a commit may not change while one is tracked (a staged report key too,
 * whatever its value: the console cannot read the committed one to compare):
 * - gatewayNumber, and the key: her TRK reports would go to another number, or be signed with a key the gateway
 *   does not have yet (refused as forged): the control room loses her position with nothing shown on the handset;
 * - emergencyNumber: the redials of a call not yet through would dial it (a bench's test line, not 999);
 * - testMode: her next gesture (she may press again while tracked) would send a TST and call nobody;
 * - silent: cues turned on mid-alarm could give her away to the abuser;
 * - gesture, holdMs, presses, pressWindowMs: the gesture she knows would stop raising the alarm again.
 * The others may change: the TRK periods (intervalS, fastIntervalS, fastSpeedMps) take effect at the next report,
 * as the gateway's INTERVAL command does; trackingMinutes counts from the next alarm; force, lowBatteryPercent,
 * heartbeatHours and fleetKey do not touch the alarm.
 */
export const ALARM_FIXED: readonly (keyof HandsetConfig)[] = ['gatewayNumber', 'emergencyNumber', 'testMode', 'silent', 'gesture', 'holdMs', 'presses', 'pressWindowMs'];

export const tscommit: ConsoleCommand = {
  name: '+TSCOMMIT',
  needsAuth: true,
  exec: (s) => {
    const config = s.stagedConfig();
    const key = s.staging?.key;
    if (config.gatewayNumber === '') return fail(ConsoleError.INCOMPLETE, 'set the gateway number first: AT+TSCFG=gateway,<number>');
    if (key === undefined && !s.target.hasKey()) return fail(ConsoleError.INCOMPLETE, 'write the report key first: AT+TSKEY=<64 hex digits>');
    if (s.target.alarmInProgress()) {
      const committed = s.target.committedConfig();
      const changed = ALARM_FIXED.filter((f) => config[f] !== committed[f]);
      if (key !== undefined || changed.length > 0) {
        const what = [...(key !== undefined ? ['the report key'] : []), ...changed.map((f) => CONFIG_NAMES.find((r) => r.field === f)?.name ?? f)].join(', ');
        return fail(ConsoleError.ALARM_IN_PROGRESS, `alarm in progress: ${what} cannot change until ${alarmEnds(s.target)}; then commit again`);
      }
    }
    s.target.commit(config, key);
    s.staging = undefined;
    return ok();
  },
};
