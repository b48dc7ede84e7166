// SMS settings (27.005 3.1, 3.2, 3.3.1, 3.4.1; 27.007 5.5):
//
//   AT+CMGF=0          PDU mode (the only mode: AT+CMGF=1 -> +CMS ERROR: 303, documented choice)
//   AT+CSCS?           +CSCS: "GSM"        AT+CSCS=? -> +CSCS: ("GSM","IRA","UCS2")
//   AT+CSCA?           +CSCA: "+447785016005",145
//   AT+CNMI=2,1,0,2,0  <mode>,<mt>,<bm>,<ds>,<bfr>: mt 1 -> +CMTI: "SM",<idx>, mt 2 -> +CMT: ,<len> + PDU,
//                      ds 1 -> +CDS: <len> + PDU, ds 2 -> +CDSI: "SM",<idx>
//   AT+CSMS?           +CSMS: 0,1,1,1 (phase 2 service; no +CNMA acknowledgement needed)

import type { CommandTable } from '../context.js';
import { CmsError } from '../../../protocol/at/cms-errors.js';
import { intArg } from '../args.js';
import { cms, error, ok } from '../outcome.js';

const CHARSETS = ['GSM', 'IRA', 'UCS2'];

export const smsConfigCommands: CommandTable = {
  '+CMGF': (cmd) => {
    if (cmd.form === 'test') return ok('+CMGF: (0)');
    if (cmd.form === 'read') return ok('+CMGF: 0');
    const v = intArg(cmd, 0, 0, 1, 0);
    if (v === undefined) return error;
    return v === 0 ? ok() : cms(CmsError.OPERATION_NOT_SUPPORTED);
  },
  '+CSCS': (cmd, m) => {
    if (cmd.form === 'test') return ok(`+CSCS: (${CHARSETS.map((c) => `"${c}"`).join(',')})`);
    if (cmd.form === 'read') return ok(`+CSCS: "${m.settings.cscs}"`);
    const cs = (cmd.args[0] ?? '').toUpperCase();
    if (cmd.form !== 'set' || !CHARSETS.includes(cs)) return error;
    m.settings.cscs = cs;
    return ok();
  },
  '+CSCA': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form === 'read') return ok(`+CSCA: "${m.settings.smsc.number}",${m.settings.smsc.type}`);
    const num = cmd.args[0] ?? '';
    if (cmd.form !== 'set' || !/^\+?[0-9]{1,20}$/.test(num)) return cms(CmsError.OPERATION_NOT_ALLOWED);
    const type = intArg(cmd, 1, 0, 255, num.startsWith('+') ? 145 : 129);
    if (type === undefined) return cms(CmsError.OPERATION_NOT_ALLOWED);
    m.settings.smsc = { number: num, type };
    return ok();
  },
  '+CNMI': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)');
    const c = m.settings.cnmi;
    if (cmd.form === 'read') return ok(`+CNMI: ${c.mode},${c.mt},${c.bm},${c.ds},${c.bfr}`);
    if (cmd.form !== 'set') return error;
    const mode = intArg(cmd, 0, 0, 3, c.mode);
    const mt = intArg(cmd, 1, 0, 3, c.mt);
    const bm = intArg(cmd, 2, 0, 3, c.bm);
    const ds = intArg(cmd, 3, 0, 2, c.ds);
    const bfr = intArg(cmd, 4, 0, 1, c.bfr);
    if (mode === undefined || mt === undefined || bm === undefined || ds === undefined || bfr === undefined) {
      return cms(CmsError.OPERATION_NOT_SUPPORTED);
    }
    m.settings.cnmi = { mode, mt, bm, ds, bfr };
    return ok();
  },
  '+CSMS': (cmd) => {
    if (cmd.form === 'test') return ok('+CSMS: (0)');
    if (cmd.form === 'read') return ok('+CSMS: 0,1,1,1');
    return intArg(cmd, 0, 0, 0) === 0 ? ok('+CSMS: 1,1,1') : cms(CmsError.OPERATION_NOT_SUPPORTED);
  },
};
