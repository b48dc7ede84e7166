// Commands some AT programs try and this modem does not have, answered ERROR on purpose (as the modems in
// ../shared/corpus/at were; gammu and smsd go on): AT+MODE=2 (Siemens), AT+CPROT=? (obex), AT+SYNCML=?,
// AT$TSSPCSW=? (Samsung), AT+CCWA=1 (call waiting is not simulated). Any command missing from the table gets
// the same ERROR; these are listed to document that the answer is deliberate.

import type { CommandTable } from '../context.js';
import { error } from '../outcome.js';

const refuse = (): typeof error => error;

export const vendorCommands: CommandTable = {
  '+MODE': refuse,
  '+CPROT': refuse,
  '+SYNCML': refuse,
  $TSSPCSW: refuse,
  '+CCWA': refuse,
};
