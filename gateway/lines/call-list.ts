// What the call tracker asks a modem about its calls (call-tracker.ts ListCalls): AT+CLCC, and AT+CPAS when the
// modem refuses AT+CLCC.
//
//   AT+CLCC -> +CLCC: 1,1,0,0,0,"+447700900456",145  OK   the calls, with states and numbers
//   AT+CLCC -> ERROR (a modem without it)                  -> AT+CPAS -> +CPAS: 4  OK   a call is up
//                                                                       +CPAS: 3      one rings
//                                                                       +CPAS: 0      no call
//                                                                       other, ERROR  cannot tell: null
//   AT+CLCC not answered (no final in time)                -> 'silent' (a modem that is not answering: nothing else
//                                                             is asked of it; the call tracker counts these for her
//                                                             call and decides whether to ask again: each ask
//                                                             costs its 5 s timeout and a resynchronisation probe,
//                                                             an ATA waiting behind it; call-tracker.ts)
//   AT+CPAS not answered (no final in time)                -> null (as a refusal: AT+CLCC did answer, with ERROR,
//                                                             and may list her call when asked again; it often
//                                                             refuses only during call set-up), and AT+CPAS is not
//                                                             asked again on this connection (CallListMemory; the
//                                                             lists after are null): each poll of a call on such a
//                                                             modem cost its timeout (3 s and the
//                                                             resynchronisation probes), an ATA waiting behind it
//   number only (asked for a caller's number alone)        -> AT+CLCC and no AT+CPAS (it tells no number)
//   a handler's ATA / ATH asked while a list runs          -> the list is abandoned once written 1 s ('cancelled':
//                                                             null), so the ATA / ATH does not wait out its timeout
//                                                             (modem-line.ts LIST_BEFORE_ACTION_MS); otherwise
//                                                             AT+CLCC has the engine's full 5 s
//
// 'silent' tells "no answer" from "refused" (null): a refusal is answered at once and asking again costs little
// (modems refuse AT+CLCC during call set-up); silence costs a timeout each time. The AT+CPAS entries have index 0
// (27.007 numbers calls from 1): AT+CPAS tells no call index, so none is taken for her call's.
//
// Why the fall-back: on a modem without AT+CLCC, an answered call whose serial link blipped (or that was answered
// before a gateway restart) could never be confirmed, and was ended by the gateway after LINK_GRACE_MS while
// the handler was still talking to her; a ringing call that stopped without NO CARRIER took 30 s to end. AT+CPAS
// says no number and no direction: the control room's modems take calls and never dial (the gateway sends SMS
// only), so a call up is the incoming one, and a number AT+CPAS cannot give stays unknown (the caller id wait).

import { clcc, cpas, parseClcc, parseCpas, type AtCommand, type AtResult, type CallEntry } from '../../protocol/at/index.js';

/** How a modem line sends one command (urgent: ahead of the commands queued; see protocol/at/command.ts). */
export type SendCommand = (command: AtCommand, urgent: boolean) => Promise<AtResult>;

/**
 * The modem's calls; null when it answered but cannot say (refused, unreadable) or the ask was cancelled;
 * 'silent' when it gave no answer in time (see the file comment).
 */
export type CallList = readonly CallEntry[] | null | 'silent';

/** What a line remembers of its modem's answers between lists, for one connection (see the file comment). */
export interface CallListMemory {
  /** AT+CPAS got no answer at all once: not asked again. */
  cpasSilent: boolean;
}

/** The modem's calls, or null / 'silent' when it cannot say (see the file comment). `numberOnly`: no AT+CPAS. */
export async function listModemCalls(send: SendCommand, urgent = false, memory?: CallListMemory, numberOnly = false): Promise<CallList> {
  const r = await send(clcc(), urgent);
  if (r.status === 'timeout') return 'silent';
  if (r.status === 'final' && r.ok) {
    const out: CallEntry[] = [];
    for (const line of r.lines) {
      const e = parseClcc(line);
      if (e.ok) out.push(e.value);
    }
    return out;
  }
  if (r.status !== 'final' || numberOnly || memory?.cpasSilent === true) return null;
  const activity = await send(cpas(), urgent);
  if (activity.status === 'timeout') {
    if (memory !== undefined) memory.cpasSilent = true;
    return null; // AT+CLCC answered (ERROR): asking it again may list her call (see the file comment)
  }
  return callsFromActivity(activity);
}

/** AT+CPAS's answer as the call list AT+CLCC would have given, as far as it tells. */
function callsFromActivity(r: AtResult): readonly CallEntry[] | null {
  if (r.status !== 'final' || !r.ok) return null;
  const line = r.lines.find((l) => parseCpas(l).ok);
  const activity = line === undefined ? undefined : parseCpas(line);
  if (activity?.ok !== true) return null;
  switch (activity.value) {
    case 'ready':
      return [];
    case 'ringing':
      return [incoming('incoming')];
    case 'call':
      return [incoming('active')];
    default:
      return null; // unavailable, unknown, asleep: it cannot tell
  }
}

function incoming(state: CallEntry['state']): CallEntry {
  return { index: 0, direction: 'incoming', state, mode: 'voice', multiparty: false }; // no index: see the file comment
}
