// What a line says to its modem after opening the port (and after the modem rebooted), in order. One row per
// command: adding a setting is one row. docs/lines.md explains each choice.
//
//   ATQ0V1               -> OK      is anyone there (echo tolerated: the engine drops it); result codes on,
//                                   in words: a modem whose saved profile (AT&W) has ATV0 (numeric "0\r") or
//                                   ATQ1 (no result codes) never answered the engine's `OK`, and its line
//                                   never came up. Such a modem may answer this one in its old form (a
//                                   timeout); it is in words from then on, and the line's retry comes up.
//   ATE0                 -> OK      echo off: less to read, and no echo to confuse with a PDU line
//   AT+CMEE=1            -> OK      numeric +CME ERROR codes instead of a bare ERROR
//   AT+CSCS="GSM"        -> OK      caller numbers (+CLIP, +CLCC) in plain characters: a modem left in UCS2
//                                   (ModemManager, gammu and others set it; some keep it in a saved profile)
//                                   writes "+447700900123" as "002B003400340037...", and a national number
//                                   as all digits: a TecSOS handset's call would not be recognised
//   AT+CLIP=1            -> OK      caller id with every RING
//   AT+CMGF=0            -> OK      PDU mode (the only mode the gateway decodes)
//   AT+CPMS="SM","SM","SM" -> OK    read, delete and receive in one storage, so +CMTI's index is AT+CMGR's
//   AT+CNMI=2,1,0,0,0    -> OK      store every SMS and announce it (+CMTI): it survives a gateway crash
//   AT+CREG=2            -> OK      registration URCs with the cell (fallback AT+CREG=1)
// Then AT+CPIN? (-> +CPIN: READY; anything else, such as SIM PIN, goes into the health detail) and the first
// poll: AT+CREG? (registration) and AT+CSQ (signal), which the line repeats every pollMs.

import { atCommand, clip, cmee, cmgf, cnmi, cregSet, type AtCommand } from '../../protocol/at/index.js';

/** One init command. */
export interface InitStep {
  readonly command: AtCommand;
  /** Tried in order when the command (or the previous fallback) fails with a final error. */
  readonly fallbacks?: readonly AtCommand[];
  /** Without it the line cannot work: failure (after fallbacks) fails the init. Optional steps are noted in the detail. */
  readonly required: boolean;
  /** Why it is there, for the health detail when it fails. */
  readonly purpose: string;
}

/** AT+CPIN? (27.007 8.3): `+CPIN: READY` or what the SIM needs. */
export const cpinRead = (): AtCommand => atCommand('AT+CPIN?', { prefixes: ['+CPIN:'] });

/** AT+CPMS with all three storages in the SIM. */
const cpmsSim = (): AtCommand => atCommand('AT+CPMS="SM","SM","SM"', { prefixes: ['+CPMS:'] });

/** The init sequence, in order. */
export const INIT_SEQUENCE: readonly InitStep[] = [
  { command: atCommand('ATQ0V1'), required: true, purpose: 'modem answers, result codes in words' },
  { command: atCommand('ATE0'), required: false, purpose: 'echo off' },
  { command: cmee(1), required: false, purpose: 'numeric error codes' },
  { command: atCommand('AT+CSCS="GSM"'), required: false, purpose: 'caller numbers in plain characters (the modem keeps its own character set)' },
  { command: clip(true), required: false, purpose: 'caller id (AT+CLCC is used instead)' },
  { command: cmgf(0), required: true, purpose: 'PDU mode' },
  { command: cpmsSim(), required: false, purpose: 'SIM message storage (the modem default is used)' },
  { command: cnmi(2, 1, 0, 0, 0), fallbacks: [cnmi(1, 1, 0, 0, 0)], required: false, purpose: 'new-SMS indications (storage is scanned periodically instead)' },
  { command: cregSet(2), fallbacks: [cregSet(1)], required: false, purpose: 'registration reports (polled instead)' },
];
