// Battery charge (3GPP TS 27.007 8.4): AT+CBC.
//
//   AT+CBC -> +CBC: 0,85        OK     <bcs>,<bcl>
//   AT+CBC -> +CBC: 0,85,4012   OK     SIMCom and Quectel add the voltage in mV
//
// bcs: 0 powered by the battery, 1 battery connected but not powering, 2 no battery, 3 power fault.
// bcl: 0..100 %, 0 also meaning "not available" when bcs is 2 or 3.

import { atCommand, type AtCommand } from '../command.js';
import { intParam, paramsAfter } from '../params.js';
import { corrupt, parsedOk, type Parsed } from '../parsed.js';

/** AT+CBC. */
export const cbc = (): AtCommand => atCommand('AT+CBC', { prefixes: ['+CBC:'] });

const SOURCES = ['battery', 'external', 'no-battery', 'power-fault'] as const;

/** A decoded +CBC answer. */
export interface BatteryStatus {
  readonly bcs: number;
  readonly source: (typeof SOURCES)[number];
  /** Charge in percent. */
  readonly percent: number;
  /** Battery voltage in mV, when the modem reports it. */
  readonly voltageMv?: number;
}

/** `+CBC: 0,85[,4012]`. */
export function parseCbc(line: string): Parsed<BatteryStatus> {
  const p = paramsAfter(line, '+CBC:');
  if (!p.ok) return p;
  const bcs = intParam(p.value, 0);
  const percent = intParam(p.value, 1);
  if (bcs === undefined || bcs > 3) return corrupt(`+CBC status out of range: ${line}`);
  if (percent === undefined || percent > 100) return corrupt(`+CBC level out of range: ${line}`);
  const mv = intParam(p.value, 2);
  const base = { bcs, source: SOURCES[bcs] as BatteryStatus['source'], percent };
  return parsedOk(mv === undefined ? base : { ...base, voltageMv: mv });
}
