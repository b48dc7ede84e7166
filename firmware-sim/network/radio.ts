// What the radio layer tells a modem: whether it is registered, where, and how strong the signal is.
// A test changes it per subscriber (coverage hole, roaming, weak signal) or for the whole network (down).

/** Registration as the network sees it, mapped 1:1 onto the 27.007 +CREG <stat> values by {@link cregStatus}. */
export type Registration = 'home' | 'roaming' | 'searching' | 'denied' | 'not-searching';

/** The radio situation of one subscriber. */
export interface RadioState {
  readonly registration: Registration;
  /** 27.007 +CSQ <rssi>: 0..31 (-113..-51 dBm), 99 unknown/not detectable. */
  readonly rssi: number;
  /** Location area code and cell id (hex in +CREG: 2 output). */
  readonly lac: number;
  readonly cellId: number;
  /** Operator name for +COPS? when registered. */
  readonly operator: string;
  /** MCC + MNC of that operator ("23415"), for +COPS? in numeric format. */
  readonly plmn: string;
}

/** 27.007 +CREG <stat>: 0 not registered/not searching, 1 home, 2 searching, 3 denied, 5 roaming. */
export function cregStatus(r: Registration): 0 | 1 | 2 | 3 | 5 {
  switch (r) {
    case 'home':
      return 1;
    case 'roaming':
      return 5;
    case 'searching':
      return 2;
    case 'denied':
      return 3;
    case 'not-searching':
      return 0;
    default: {
      const never: never = r;
      return never;
    }
  }
}

/** True when calls and SMS can go through. */
export function inService(r: RadioState): boolean {
  return r.registration === 'home' || r.registration === 'roaming';
}

/** The radio state of a phone whose modem is off or has no SIM: not registered, no signal. */
export const NO_SERVICE: RadioState = {
  registration: 'not-searching',
  rssi: 99,
  lac: 0,
  cellId: 0,
  operator: '',
  plmn: '',
};
