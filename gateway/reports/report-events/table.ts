// TSR1 event code -> what it adds to an accepted report. Adding an event: one file, one line here.
import type { ReportEvent } from '../../../protocol/report/events.js';
import { ack } from './ack.js';
import { alm } from './alm.js';
import { bot } from './bot.js';
import { hbt } from './hbt.js';
import { lob } from './lob.js';
import { tmp } from './tmp.js';
import { trk } from './trk.js';
import { tst } from './tst.js';
import type { ReportEventHandler } from './types.js';

export const REPORT_EVENT_HANDLERS: Readonly<Record<ReportEvent, ReportEventHandler>> = {
  ALM: alm,
  TRK: trk,
  HBT: hbt,
  LOB: lob,
  TST: tst,
  BOT: bot,
  TMP: tmp,
  ACK: ack,
};
