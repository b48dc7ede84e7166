// The firmware's view of its GSM modem: the few things an alarm needs. at-modem.ts implements it with AT
// commands over the modem's serial line (protocol/at), exactly as the real firmware does.

/**
 * How a call attempt or a call ended, from the modem's call-progress result codes; 'modem-restart': the modem
 * rebooted on its own (RDY banner), which ends any call without a result code.
 */
export type CallEnd = 'busy' | 'no-carrier' | 'no-answer' | 'modem-restart';

/** Where our call stands, from AT+CLCC. */
export type CallState = 'none' | 'dialling' | 'alerting' | 'active';

/** An SMS the modem delivered (+CMT), decoded. */
export interface IncomingSms {
  readonly from: string;
  readonly text: string;
}

/** The modem operations the firmware needs. */
export interface HandsetModem {
  /** Runs the start-up sequence; false when the modem did not answer it. */
  start(): Promise<boolean>;
  /** Sends a text (one or more concatenated parts); true when every part got +CMGS. */
  sendSms(to: string, text: string, concatRef: number): Promise<boolean>;
  /** ATD<number>; true when the modem accepted the dial (OK). */
  dial(number: string): Promise<boolean>;
  hangUp(): Promise<void>;
  /** Our voice call's state (AT+CLCC). */
  callState(): Promise<CallState>;
  /** AT+CSQ RSSI: 0..31, 99 unknown. */
  signal(): Promise<number>;
  /** Registered on a network (home or roaming), from +CREG. */
  registered(): boolean;
  onCallEnded(listener: (why: CallEnd) => void): void;
  onSms(listener: (sms: IncomingSms) => void): void;
  /** Registration changed (+CREG URC). */
  onRegistration(listener: (registered: boolean) => void): void;
}
