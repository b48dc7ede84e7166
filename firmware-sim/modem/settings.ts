// The modem's volatile settings: what ATZ and a reboot put back to the defaults below.

/** +CNMI <mode>,<mt>,<bm>,<ds>,<bfr> (27.005 3.4.1). */
export interface NewMessageIndication {
  readonly mode: number;
  /** 0 store silently, 1 store + "+CMTI", 2 "+CMT" directly (not stored), 3 as 1 (no class 3 here). */
  readonly mt: number;
  readonly bm: number;
  /** 0 none, 1 "+CDS" directly, 2 store + "+CDSI". */
  readonly ds: number;
  readonly bfr: number;
}

/** The storages of this modem: SIM and phone memory. */
export type StorageName = 'SM' | 'ME';

/** Everything AT commands set. */
export interface ModemSettings {
  echo: boolean;
  /** ATV1 (default): verbose "\r\nOK\r\n"; ATV0: numeric "0\r". */
  verbose: boolean;
  /** ATQ1: no result codes at all. */
  quiet: boolean;
  /** +CMEE 0 (plain ERROR), 1 (numeric), 2 (verbose). */
  cmee: 0 | 1 | 2;
  /** +CREG n: 0 no URC, 1 "+CREG: <stat>", 2 with location. */
  creg: 0 | 1 | 2;
  /** +CGREG n, the same for GPRS registration. */
  cgreg: 0 | 1 | 2;
  clip: boolean;
  crc: boolean;
  colp: boolean;
  cusd: number;
  /** +COPS <format> of the read form: 0 long name, 1 short name, 2 numeric. */
  copsFormat: 0 | 1 | 2;
  cscs: string;
  cnmi: NewMessageIndication;
  /** +CPMS <mem1> (read, list, delete), <mem2> (write, send), <mem3> (received messages go here). */
  cpms: [StorageName, StorageName, StorageName];
  smsc: { number: string; type: number };
  /** S0: answer automatically after this many rings (0 = never). */
  autoAnswerRings: number;
}

/** The defaults (a modem just switched on). `smsc` is the modem's configured service centre. */
export function defaultSettings(smsc: string): ModemSettings {
  return {
    echo: true,
    verbose: true,
    quiet: false,
    cmee: 0,
    creg: 0,
    cgreg: 0,
    clip: false,
    crc: false,
    colp: false,
    cusd: 0,
    copsFormat: 0,
    cscs: 'GSM',
    cnmi: { mode: 0, mt: 0, bm: 0, ds: 0, bfr: 0 },
    cpms: ['SM', 'SM', 'SM'],
    smsc: { number: smsc, type: smsc.startsWith('+') ? 145 : 129 },
    autoAnswerRings: 0,
  };
}
