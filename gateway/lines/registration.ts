// A line's registration from the three 27.007 registration domains, and what it means for the control room.
//
//   AT+CREG?  -> +CREG: 2,1,"1A2B","00C3"      circuit-switched (7.2): voice calls, SMS; asked at every poll
//   AT+CGREG? -> +CGREG: 2,1,"1A2B","00C3"     packet-switched (10.1.20): GPRS/UMTS data    } asked only when
//   AT+CEREG? -> +CEREG: 2,1,"1F00","0079D903",7  EPS (10.1.22): LTE                         } +CREG is not registered
//
// A modem registered on LTE alone (an LTE-only or LTE-first modem, Quectel EC25/EG25, SIMCom SIM7600, u-blox
// SARA-R4/R5, on a network that gives it no CS fallback: UK networks switched 3G off in 2024) answers +CREG 0, 2 or 4
// while +CEREG says 1 or 5. Such a line is registered: it is `up`, it can send SMS (over IMS, or SGs) and it
// receives calls if the modem and subscription have VoLTE. As ModemManager does (mm-iface-modem-3gpp.c,
// get_consolidated_reg_state), the line is registered when any domain says home or roaming, circuit-switched first.
// The detail says which, honestly: a 999 call from a 2G/3G handset reaches a modem registered on LTE only through
// VoLTE, and one registered for packet data only not at all.

import type { Registration, RegistrationDomain } from '../../protocol/at/index.js';

/** The line's registration as the health report gives it. */
export interface LineRegistration {
  /** The registered domain's <stat> (1 home, 5 roaming, ...). */
  readonly stat: number;
  /** The domain that registered the line. */
  readonly domain: RegistrationDomain;
  /** In words, for the health detail. */
  readonly words: string;
}

/** Home or roaming in the packet-switched or EPS domain (27.007: their stats 6, 7, 9, 10 are "not applicable"). */
const registeredPacket = (r: Registration | undefined): r is Registration => r !== undefined && (r.stat === 1 || r.stat === 5);

/**
 * The domain that registers the line: circuit-switched (any registered stat of +CREG, SMS-only and CSFB-not-preferred
 * included, as before), else EPS, else packet-switched; undefined when none does (or none was read). EPS before PS:
 * a modem on LTE may mirror its attach in +CGREG, and "LTE only" is what tells whether calls can arrive.
 */
export function lineRegistration(cs: Registration | undefined, ps: Registration | undefined, eps: Registration | undefined): LineRegistration | undefined {
  if (cs?.registered === true) return { stat: cs.stat, domain: 'cs', words: `registration ${cs.status}` };
  const circuit = `circuit-switched ${cs?.status ?? 'unknown'}`;
  if (registeredPacket(eps)) {
    return { stat: eps.stat, domain: 'eps', words: `registration ${eps.status} on LTE only (${circuit}): calls reach this line only by VoLTE` };
  }
  if (registeredPacket(ps)) {
    return { stat: ps.stat, domain: 'ps', words: `registration ${ps.status} for packet data only (${circuit}): no calls reach this line` };
  }
  return undefined;
}
