// Resynchronisation probes for a GSM modem (AtEngineOptions.probes; docs/at.md "Timeouts and resynchronisation").
//
//   > ESC AT+CMEE?<CR>          < +CMEE: 1        < OK
//   > ESC AT+CSCS?<CR>          < +CSCS: "GSM"    < OK
//
// Read forms of two settings every 27.007 modem has (gammu asks AT+CSCS? of every modem it opens; error
// reporting is 27.007 9.1). Neither answer line is an unsolicited code, neither query changes anything, and the
// gateway never sends them as commands of its own, so their answer lines can only be a probe's. Two, used in
// turn: a late answer to the first probe cannot pass for the second's.

import type { AtProbe } from './engine.js';

export const MODEM_PROBES: readonly AtProbe[] = [
  { command: 'AT+CMEE?', prefix: '+CMEE:' },
  { command: 'AT+CSCS?', prefix: '+CSCS:' },
];
