// Resynchronisation probes for a GSM modem (AtEngineOptions.probes; docs/at.md "Timeouts and resynchronisation").
//
//   > ESC AT+CMEE?<CR>          < +CMEE: 1        < OK
//   > ESC AT+CSCS?<CR>          < +CSCS: "GSM"    < OK
//   > ESC AT+CMGF?<CR>          < +CMGF: 0        < OK
//
// Read forms of settings every 27.007 / 27.005 modem has (gammu asks AT+CSCS? of every modem it opens; error
// reporting is 27.007 9.1; the message format 27.005 3.2.3). No answer line is an unsolicited code, no query
// changes anything, and the gateway never sends them as commands of its own, so their answer lines can only be a
// probe's. Used in turn: a late answer to the first probe cannot pass for the second's. Three, because a
// resynchronisation that ends in silence leaves its two probes owed (their answers may still come), and the
// confirmation of the next command's final needs a third (docs/at.md "Out of step").

import type { AtProbe } from './engine.js';

export const MODEM_PROBES: readonly AtProbe[] = [
  { command: 'AT+CMEE?', prefix: '+CMEE:' },
  { command: 'AT+CSCS?', prefix: '+CSCS:' },
  { command: 'AT+CMGF?', prefix: '+CMGF:' },
];
