// Who the simulated modem says it is (AT+CGMI, +CGMM, +CGMR, +CGSN, +CIMI, ATI) and what its SIM holds.

/** Identity strings; every field has a default. */
export interface ModemIdentity {
  readonly manufacturer: string;
  readonly model: string;
  readonly revision: string;
  /** 15 digits with a valid Luhn check digit. */
  readonly imei: string;
  /** 15 digits: MCC 234 (UK), MNC 15. */
  readonly imsi: string;
}

export const DEFAULT_IDENTITY: ModemIdentity = {
  manufacturer: 'TecSOS Sim',
  model: 'TSM-900',
  revision: 'TSM900R01A01',
  imei: '356938035643809',
  imsi: '234150000000001',
};

/** Luhn check digit of the first 14 IMEI digits. */
export function imeiCheckDigit(first14: string): number {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(first14[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Checks an identity; throws a message a person can act on. */
export function checkIdentity(id: ModemIdentity): ModemIdentity {
  if (!/^[0-9]{15}$/.test(id.imei) || imeiCheckDigit(id.imei.slice(0, 14)) !== Number(id.imei[14])) {
    throw new Error(`IMEI ${id.imei} is not 15 digits with a valid Luhn check digit`);
  }
  if (!/^[0-9]{6,15}$/.test(id.imsi)) throw new Error(`IMSI ${id.imsi} is not 6..15 digits`);
  return id;
}
