// AT+CMGS (27.005 3.5.1), PDU mode: the length is the TPDU octets WITHOUT the SMSC field.
//
//   AT+CMGS=28\r                                  -> \r\n>  (prompt, no line end)
//   0011000C914477000910320000FF0F...01<Ctrl-Z>   -> \r\n+CMGS: 1\r\n\r\nOK\r\n
//   ...<ESC>                                      -> \r\nOK\r\n (cancelled, nothing sent)
// Errors: length that does not match the PDU, or a PDU that is not an SMS-SUBMIT: +CMS ERROR: 304;
// no network service: +CMS ERROR: 331; no SIM: +CMS ERROR: 310. TP-MR is assigned by the modem (1, 2, ...),
// as real modems do, and is what +CMGS answers.

import type { CommandTable, ModemContext } from '../context.js';
import type { PromptInput } from '../outcome.js';
import { CmsError } from '../../../protocol/at/cms-errors.js';
import { tryDecodeSubmit } from '../../../protocol/sms/index.js';
import { inService } from '../../network/radio.js';
import { intArg } from '../args.js';
import { cms, error, ok, type CommandOutcome } from '../outcome.js';

function submit(m: ModemContext, length: number, input: PromptInput): CommandOutcome {
  const decoded = tryDecodeSubmit(input.text.trim());
  if (!decoded.ok || decoded.value.tpduLength !== length) return cms(CmsError.INVALID_PDU_MODE_PARAMETER);
  const s = decoded.value;
  if (m.sim !== 'ready') return cms(m.sim === 'absent' ? CmsError.SIM_NOT_INSERTED : CmsError.SIM_PIN_REQUIRED);
  if (m.network === undefined || !inService(m.radio())) return cms(CmsError.NO_NETWORK_SERVICE);
  const mr = m.nextMessageReference();
  const result = m.network.submitSms(
    s.to,
    {
      text: s.text,
      encoding: s.encoding,
      ...(s.data !== undefined ? { data: s.data } : {}),
      ...(s.concat !== undefined ? { concat: s.concat } : {}),
      ...(s.udh.length > 0 ? { udh: s.udh } : {}),
    },
    { messageReference: mr, statusReportRequested: s.requestStatusReport },
  );
  if (!result.ok) {
    return cms(result.reason === 'no-network' ? CmsError.NO_NETWORK_SERVICE : CmsError.UNKNOWN_ERROR);
  }
  return ok(`+CMGS: ${mr}`);
}

export const smsSendCommands: CommandTable = {
  '+CMGS': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form !== 'set') return error;
    const length = intArg(cmd, 0, 1, 176);
    if (length === undefined || cmd.args.length > 1) return cms(CmsError.INVALID_PDU_MODE_PARAMETER);
    return { kind: 'prompt', complete: (input) => submit(m, length, input) };
  },
};
