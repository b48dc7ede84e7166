// One attached subscriber and the directory the call switch and the SMSC look numbers up in.

import type { NetworkTerminal } from './terminal.js';
import type { RadioState } from './radio.js';

/** The network's record of one attached phone. */
export interface Subscriber {
  readonly msisdn: string;
  readonly terminal: NetworkTerminal;
  /** Radio state as configured by the test (coverage, signal); what the phone sees also depends on the rest. */
  configured: RadioState;
  /** false while the phone's modem is off or has no SIM. */
  available: boolean;
  /** Withhold this subscriber's number on every call (CLIR subscription). */
  withholdCli: boolean;
  /** The radio state the phone saw last (to report changes only). */
  lastSeen: RadioState | undefined;
}

/** What the call switch and the SMSC need from the network. */
export interface SubscriberDirectory {
  /** The attached subscriber with this MSISDN, if any. */
  get(msisdn: string): Subscriber | undefined;
  /** The radio state the subscriber actually has now (network down, unavailable, coverage). */
  radioOf(sub: Subscriber): RadioState;
  /** True when the subscriber can make and receive calls and SMS now. */
  reachable(sub: Subscriber): boolean;
}
