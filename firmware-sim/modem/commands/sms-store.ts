// The message store (27.005 3.2.2, 3.4.2, 3.4.3, 3.5.4, 3.5.3), PDU mode. Storages "SM" (SIM) and "ME"
// (phone), each with a bounded number of slots 1..capacity.
//
//   AT+CPMS=?             +CPMS: ("SM","ME"),("SM","ME"),("SM","ME")
//   AT+CPMS?              +CPMS: "SM",1,30,"SM",1,30,"SM",1,30       (<mem>,<used>,<total> x3)
//   AT+CPMS="ME","ME"     +CPMS: 0,50,0,50,1,30                       (mem1, mem2 set; mem3 kept)
//   AT+CMGR=1             +CMGR: 0,,24  then the PDU line            (<stat>,[<alpha>],<length>; unread -> read)
//                         an empty slot: OK alone; outside 1..capacity: +CMS ERROR: 321
//   AT+CMGL=4             +CMGL: 1,1,,24  then the PDU line, per message (stat 0..3 or 4 = all)
//   AT+CMGD=1[,<flag>]    flag 0 this one, 1 all read, 2 read+sent, 3 read+sent+unsent, 4 all
//   AT+CMGW=<len>[,<st>]  prompt, PDU, Ctrl-Z -> +CMGW: <idx>; full storage: +CMS ERROR: 322

import type { CommandTable, ModemContext } from '../context.js';
import type { MessageStat } from '../message-store.js';
import type { StorageName } from '../settings.js';
import { CmsError } from '../../../protocol/at/cms-errors.js';
import { tryDecodeIncoming, tryDecodeSubmit } from '../../../protocol/sms/index.js';
import { intArg } from '../args.js';
import { cms, error, ok, type CommandOutcome } from '../outcome.js';

const STORAGES: readonly StorageName[] = ['SM', 'ME'];

function usage(m: ModemContext, name: StorageName): string {
  const s = m.storage(name);
  return `${s.used},${s.capacity}`;
}

function simCheck(m: ModemContext): CommandOutcome | undefined {
  if (m.sim === 'absent') return cms(CmsError.SIM_NOT_INSERTED);
  if (m.sim === 'pin') return cms(CmsError.SIM_PIN_REQUIRED);
  return undefined;
}

function cpms(cmdArgs: readonly string[], m: ModemContext): CommandOutcome {
  const wanted = cmdArgs.map((a) => a.toUpperCase());
  if (wanted.length === 0 || wanted.length > 3) return cms(CmsError.OPERATION_NOT_ALLOWED);
  if (!wanted.every((w): w is StorageName => (STORAGES as readonly string[]).includes(w))) {
    return cms(CmsError.OPERATION_NOT_SUPPORTED);
  }
  wanted.forEach((w, i) => (m.settings.cpms[i] = w));
  const [a, b, c] = m.settings.cpms;
  return ok(`+CPMS: ${usage(m, a)},${usage(m, b)},${usage(m, c)}`);
}

function write(m: ModemContext, length: number, stat: MessageStat, hex: string): CommandOutcome {
  const pdu = hex.trim().toUpperCase();
  const decoded = stat >= 2 ? tryDecodeSubmit(pdu) : tryDecodeIncoming(pdu);
  if (!decoded.ok || decoded.value.tpduLength !== length) return cms(CmsError.INVALID_PDU_MODE_PARAMETER);
  const index = m.storage(m.settings.cpms[1]).add(pdu, length, stat);
  return index === undefined ? cms(CmsError.MEMORY_FULL) : ok(`+CMGW: ${index}`);
}

/** Which stats AT+CMGD=<idx>,<flag> deletes, by flag 1..4. */
const DELETE_FLAGS: Readonly<Record<number, readonly MessageStat[]>> = {
  1: [1],
  2: [1, 3],
  3: [1, 2, 3],
  4: [0, 1, 2, 3],
};

export const smsStoreCommands: CommandTable = {
  '+CPMS': (cmd, m) => {
    if (cmd.form === 'test') {
      const list = `(${STORAGES.map((s) => `"${s}"`).join(',')})`;
      return ok(`+CPMS: ${list},${list},${list}`);
    }
    const sim = simCheck(m);
    if (sim !== undefined) return sim;
    if (cmd.form === 'read') {
      return ok(`+CPMS: ${m.settings.cpms.map((s) => `"${s}",${usage(m, s)}`).join(',')}`);
    }
    if (cmd.form !== 'set') return error;
    return cpms(cmd.args, m);
  },
  '+CMGR': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form !== 'set') return error;
    const sim = simCheck(m);
    if (sim !== undefined) return sim;
    const store = m.storage(m.settings.cpms[0]);
    const index = intArg(cmd, 0, 0, 255);
    if (index === undefined || !store.valid(index)) return cms(CmsError.INVALID_MEMORY_INDEX);
    const msg = store.get(index);
    if (msg === undefined) return ok();
    const stat = msg.stat;
    if (msg.stat === 0) msg.stat = 1;
    return ok(`+CMGR: ${stat},,${msg.tpduLength}`, msg.pdu);
  },
  '+CMGL': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CMGL: (0-4)');
    if (cmd.form !== 'set' && cmd.form !== 'exec') return error;
    const sim = simCheck(m);
    if (sim !== undefined) return sim;
    const stat = intArg(cmd, 0, 0, 4, 0);
    if (stat === undefined) return cms(CmsError.OPERATION_NOT_SUPPORTED);
    const stats: MessageStat[] = stat === 4 ? [0, 1, 2, 3] : [stat as MessageStat];
    const lines: string[] = [];
    for (const msg of m.storage(m.settings.cpms[0]).list(stats)) {
      lines.push(`+CMGL: ${msg.index},${msg.stat},,${msg.tpduLength}`, msg.pdu);
      if (msg.stat === 0) msg.stat = 1;
    }
    return ok(...lines);
  },
  '+CMGD': (cmd, m) => {
    const store = m.storage(m.settings.cpms[0]);
    if (cmd.form === 'test') return ok(`+CMGD: (${store.list([0, 1, 2, 3]).map((s) => s.index).join(',')}),(0-4)`);
    if (cmd.form !== 'set') return error;
    const sim = simCheck(m);
    if (sim !== undefined) return sim;
    const index = intArg(cmd, 0, 0, 255);
    const flag = intArg(cmd, 1, 0, 4, 0);
    if (flag === undefined || index === undefined) return cms(CmsError.OPERATION_NOT_SUPPORTED);
    if (flag === 0) {
      if (!store.valid(index)) return cms(CmsError.INVALID_MEMORY_INDEX);
      store.delete(index);
      return ok();
    }
    for (const msg of store.list(DELETE_FLAGS[flag] ?? [])) store.delete(msg.index);
    return ok();
  },
  '+CMGW': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form !== 'set') return error;
    const sim = simCheck(m);
    if (sim !== undefined) return sim;
    const length = intArg(cmd, 0, 1, 176);
    const stat = intArg(cmd, 1, 0, 3, 2);
    if (length === undefined || stat === undefined) return cms(CmsError.INVALID_PDU_MODE_PARAMETER);
    return { kind: 'prompt', complete: (input) => write(m, length, stat as MessageStat, input.text) };
  },
};
