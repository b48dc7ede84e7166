// Identity (27.007 5.1-5.6, V.250 6.1): each answers with a bare line then OK, which is what gammu and smsd
// accept (some modems prefix "+CGMI: "; these do not).
//
//   AT+CGMI -> "TecSOS Sim"   AT+CGMM -> "TSM-900"   AT+CGMR -> "TSM900R01A01"
//   AT+CGSN -> "356938035643809"   AT+CIMI -> "234150000000001" (+CME ERROR: 10 without a SIM)
//   ATI     -> "TecSOS Sim" / "TSM-900" / "Revision: TSM900R01A01"
//   AT+CNUM -> +CNUM: "","+447700900001",145   (the subscriber's own number, when attached)

import type { CommandHandler, CommandTable, ModemContext } from '../context.js';
import { CmeError } from '../../../protocol/at/cme-errors.js';
import { addressType } from '../../network/msisdn.js';
import { cme, error, ok } from '../outcome.js';

function line(value: (m: ModemContext) => string): CommandHandler {
  return (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form !== 'exec') return error;
    return ok(value(m));
  };
}

const imei = line((m) => m.identity.imei);

export const identityCommands: CommandTable = {
  '+CGMI': line((m) => m.identity.manufacturer),
  '+GMI': line((m) => m.identity.manufacturer),
  '+CGMM': line((m) => m.identity.model),
  '+GMM': line((m) => m.identity.model),
  '+CGMR': line((m) => m.identity.revision),
  '+GMR': line((m) => m.identity.revision),
  '+CGSN': imei,
  '+GSN': imei,
  '+CIMI': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form !== 'exec') return error;
    if (m.sim === 'absent') return cme(CmeError.SIM_NOT_INSERTED);
    if (m.sim === 'pin') return cme(CmeError.SIM_PIN_REQUIRED);
    return ok(m.identity.imsi);
  },
  I: (cmd, m) => {
    if (cmd.args[0] !== '' && cmd.args[0] !== '0') return ok();
    return ok(m.identity.manufacturer, m.identity.model, `Revision: ${m.identity.revision}`);
  },
  '+CNUM': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form !== 'exec') return error;
    if (m.sim === 'absent') return cme(CmeError.SIM_NOT_INSERTED);
    const own = m.network?.msisdn;
    return own === undefined ? ok() : ok(`+CNUM: "","${own}",${addressType(own)}`);
  },
};
