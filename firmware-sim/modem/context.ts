// What a command handler may see and do: the modem's state and a few actions. Handlers live in commands/,
// one file per command family, and are registered in command-table.ts.

import type { Clock } from '../../protocol/time/clock.js';
import type { RadioState } from '../network/radio.js';
import type { NetworkLink } from '../network/terminal.js';
import type { ModemIdentity } from './identity.js';
import type { MessageStore } from './message-store.js';
import type { ModemSettings, StorageName } from './settings.js';
import type { ParsedCommand } from './command-line.js';
import type { CommandOutcome } from './outcome.js';

/** A call as this modem lists it in +CLCC. */
export interface ModemCall {
  /** The network's call id. */
  readonly callId: number;
  /** +CLCC <idx>, 1..7, lowest free when the call starts. */
  readonly index: number;
  /** 0 mobile originated, 1 mobile terminated. */
  readonly direction: 0 | 1;
  /** +CLCC <stat>: 0 active, 2 dialling, 3 alerting (MO), 4 incoming (MT). */
  stat: 0 | 2 | 3 | 4;
  /** The other party ("" when withheld). */
  readonly number: string;
  /** Rings printed so far (incoming calls). */
  rings: number;
}

/** Battery as +CBC reports it. */
export interface BatteryStatus {
  /** 0..100 %. */
  readonly percent: number;
  /** true while on external power (+CBC <bcs> 1). */
  readonly charging?: boolean;
}

/** SIM state: ready, absent (+CME ERROR: 10), or waiting for its PIN. */
export type SimState = 'ready' | 'absent' | 'pin';

/** The modem as command handlers see it. */
export interface ModemContext {
  readonly settings: ModemSettings;
  readonly identity: ModemIdentity;
  readonly clock: Clock;
  /** The SIM's PIN (for AT+CPIN=<pin>). */
  readonly simPin: string;
  sim: SimState;
  /** +CFUN: 1 full, 0 minimum, 4 radio off. */
  readonly functionality: number;
  storage(name: StorageName): MessageStore;
  /** The network link, undefined when the modem is not attached to a network. */
  readonly network: NetworkLink | undefined;
  /** The radio state as this modem reports it (no service when off, no SIM, or no network). */
  radio(): RadioState;
  /** Calls in progress, by index. */
  readonly calls: ModemCall[];
  battery(): BatteryStatus;
  /** Next TP-MR for +CMGS (1, 2, ... 255, 0, 1 ...). */
  nextMessageReference(): number;
  /** AT+CFUN=<fun>. */
  setFunctionality(fun: number): void;
  /** AT+CFUN=1,1 / reboot: drops calls and settings, prints the boot banner. */
  reboot(): void;
  /** ATZ / AT&F: settings back to the defaults (calls and messages untouched). */
  restoreDefaults(): void;
  /** Answers the ringing call; false when none rings. */
  answer(): boolean;
  /** Hangs up every call (ATH, AT+CHUP). */
  hangupAll(): void;
  /** Starts an outgoing voice call; returns the outcome of ATD. */
  dial(dialString: string): CommandOutcome;
  /** Tells the network whether this modem can use it (after CFUN and CPIN changes). */
  availabilityChanged(): void;
}

/** One command family's handler. */
export type CommandHandler = (cmd: ParsedCommand, modem: ModemContext) => CommandOutcome;

/** A family's handlers by command name ("+CGMI", "E", "D", "&F"). */
export type CommandTable = Readonly<Record<string, CommandHandler>>;
