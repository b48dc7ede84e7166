// What `npm run sim` runs with no configuration: three handsets issued by West Yorkshire Police to made-up
// victims in central Leeds, and a four-line control-room bank whose first line is the gateway's SMS number.
// Numbers are from Ofcom's drama range (07700 900000-900999), never a real subscriber's.

import { imeiCheckDigit } from '../modem/identity.js';

/** The control room's modem bank: line 1 receives the handsets' reports (the gateway's number). */
export const DEFAULT_BANK_LINES: readonly string[] = ['+447700900999', '+447700900998', '+447700900997', '+447700900996'];

/** `"lines": N` in the config: +447700900999 counting down (N <= 64). */
export function bankLineNumbers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `+447700900${String(999 - i)}`);
}

const FORCE = 'West Yorkshire Police';

/** Three demo handsets (config-file shape; victim records are invented). */
export const DEFAULT_HANDSETS = [
  {
    id: 'TS-0001',
    number: '+447700900101',
    imei: '356938035643817',
    force: FORCE,
    victim: {
      name: 'Demo Victim One',
      safetyNotes: 'Abuser has a key to the flat. May be unable to speak: listen for background.',
      riskMarkers: ['weapons', 'strangulation-history'],
      address: 'City Square, Leeds LS1',
      perpetratorNotes: 'Ex-partner, male, 30s, drives a blue van.',
    },
    // City Square, at the start of the demo walk (firmware-sim/scenarios/demo-walk.json).
    route: { waypoints: [{ lat: 53.7957, lon: -1.5465, speedMps: 0 }] },
  },
  {
    id: 'TS-0002',
    number: '+447700900102',
    imei: '356938035643825',
    force: FORCE,
    victim: { name: 'Demo Victim Two', safetyNotes: 'Hearing impaired: text first.', riskMarkers: ['children-present'] },
    // Kirkgate Market, Vicar Lane.
    route: { waypoints: [{ lat: 53.7975, lon: -1.5405, speedMps: 0 }] },
  },
  {
    id: 'TS-0003',
    number: '+447700900103',
    imei: '356938035643833',
    force: FORCE,
    victim: { name: 'Demo Victim Three', safetyNotes: 'Speaks Polish; interpreter needed.', riskMarkers: [] },
    // Millennium Square, by the Civic Hall.
    route: { waypoints: [{ lat: 53.8018, lon: -1.5488, speedMps: 0 }] },
  },
] as const;

/**
 * `"handsets": N` in the config: the three above, then TS-0004... (+447700900104..., IMEIs 3569380356438xx with
 * their Luhn digit) standing at points around Leeds city centre (N <= 500).
 */
export function generatedHandsets(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => {
    if (i < DEFAULT_HANDSETS.length) return DEFAULT_HANDSETS[i];
    const k = i + 1;
    const first14 = `35693803${String(564300 + k).padStart(6, '0')}`;
    return {
      id: `TS-${String(k).padStart(4, '0')}`,
      number: `+447700900${String(100 + k)}`,
      imei: `${first14}${imeiCheckDigit(first14)}`,
      force: FORCE,
      victim: { name: `Demo Victim ${k}`, safetyNotes: '', riskMarkers: [] },
      route: { waypoints: [{ lat: 53.7965 + 0.0004 * Math.cos(k), lon: -1.5431 + 0.0006 * Math.sin(k), speedMps: 0 }] },
    };
  });
}
