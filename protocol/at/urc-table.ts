// Unsolicited result codes: lines a modem sends on its own (3GPP TS 27.007, 27.005, V.250). One table; to handle
// a new URC add a row. A line matching a row is unsolicited unless the command in flight claims it as its answer
// (its prefix, e.g. `+CSQ:` while AT+CSQ runs, or `+CLCC:` while AT+CLCC runs) or, for the call-progress words,
// unless a dial/answer command is in flight (then they are its final result; see final-results.ts).
//
//   RING                                       incoming call (ATV1)
//   +CRING: VOICE                              incoming call with type (AT+CRC=1)
//   +CLIP: "+447700900456",145,,,,0           caller id (AT+CLIP=1)
//   +CMT: ,24                                  SMS delivered to the terminal (AT+CNMI=..,2,..): the NEXT line is
//   0791447758100650040C9144...                its PDU and belongs to it, whatever it looks like
//   +CMTI: "SM",3                              SMS stored at index 3
//   +CREG: 1,"1A2B","00C3"                     registration changed (AT+CREG=1/2)
//   NO CARRIER                                 the call ended
//   ^CEND:1,5,29,16                            the call ended (Huawei: <id>,<duration>,<end status>,<cc cause>;
//                                              their voice modems print it instead of NO CARRIER)
//   HANGUP: 1                                  the call ended (ZTE: <id>; likewise instead of NO CARRIER)
//   RDY / +CFUN: 1 / +CPIN: READY / Call Ready / SMS Ready    the modem (re)booted
//   ^SYSSTART                                  the modem (re)booted (Cinterion/Siemens: their only boot line)
//   START / SMS DONE / PB DONE                 the modem (re)booted; its SMS / phonebook service is ready (SIMCom
//                                              3G/4G: SIM5320, SIM5360, SIM7x00); Quectel: +QIND: SMS DONE / PB DONE

/** One row of the URC table. */
export interface UrcRow {
  /** Name delivered to subscribers (the token without its colon). */
  readonly name: string;
  readonly token: string;
  readonly match: 'exact' | 'prefix';
  /** The next line is this URC's body (a PDU in PDU mode, the text in text mode). */
  readonly body: boolean;
}

const prefix = (token: string, body = false): UrcRow => ({ name: token.slice(0, -1), token, match: 'prefix', body });
const exact = (token: string): UrcRow => ({ name: token, token, match: 'exact', body: false });

/** Every unsolicited result code the engine recognises. */
export const URC_TABLE: readonly UrcRow[] = [
  exact('RING'),
  prefix('+CRING:'),
  prefix('+CLIP:'),
  prefix('+CLCC:'),
  prefix('+CCWA:'),
  prefix('+CMT:', true),
  prefix('+CMTI:'),
  prefix('+CDS:', true),
  prefix('+CDSI:'),
  prefix('+CBM:', true),
  prefix('+CREG:'),
  prefix('+CGREG:'),
  prefix('+CEREG:'),
  prefix('+CSQ:'),
  prefix('+CUSD:'),
  prefix('+CIEV:'),
  exact('NO CARRIER'),
  prefix('^CEND:'),
  prefix('HANGUP:'),
  exact('BUSY'),
  exact('NO ANSWER'),
  exact('NO DIALTONE'),
  exact('NO DIAL TONE'),
  exact('RDY'),
  prefix('+CFUN:'),
  prefix('+CPIN:'),
  exact('Call Ready'),
  exact('SMS Ready'),
  exact('NORMAL POWER DOWN'),
  exact('^SYSSTART'),
  exact('START'),
  exact('SMS DONE'),
  exact('PB DONE'),
  exact('+QIND: SMS DONE'),
  exact('+QIND: PB DONE'),
];

/** The URC row a line matches, or undefined. */
export function urcRow(line: string): UrcRow | undefined {
  const t = line.trim();
  for (const row of URC_TABLE) {
    if (row.match === 'exact' ? t === row.token : t.startsWith(row.token)) return row;
  }
  return undefined;
}
