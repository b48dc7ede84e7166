// HandsetModem over AT (protocol/at's engine on the modem's serial line).
//
// Start-up:  ATE0  AT+CMEE=1  AT+CREG=1  AT+CLIP=1  AT+CMGF=0  AT+CNMI=2,2,0,0,0  AT+CREG?
//            (no echo, numeric errors, registration URCs, PDU mode, SMS delivered straight as +CMT)
// SMS:       AT+CMGS=<tpdu length>  > <PDU><Ctrl-Z>  -> +CMGS: <mr>  OK      (per part, protocol/sms)
// Call:      ATD999;  -> OK; then AT+CLCC polled by the firmware until stat 0 (active);
//            BUSY / NO CARRIER / NO ANSWER arrive as URCs and end the attempt or the call.
// Incoming:  +CMT: ,<len> + PDU line -> SMS-DELIVER decoded -> IncomingSms.
// Modem reboot (RDY banner): any call is gone (reported as ended, 'modem-restart'), and the start-up sequence
//            runs again (echo, CNMI and CREG are back to defaults).

import {
  AtEngine,
  cmee,
  cmgf,
  cmgs,
  cnmi,
  clcc,
  clip,
  cregRead,
  cregSet,
  csq,
  dial,
  hangup,
  parseClcc,
  parseCmt,
  parseCreg,
  parseCsq,
  type AtResult,
  type Transport,
} from '../../protocol/at/index.js';
import { encodeSubmit, tryDecodeDeliver } from '../../protocol/sms/index.js';
import type { Clock } from '../../protocol/time/clock.js';
import type { CallEnd, CallState, HandsetModem, IncomingSms } from './modem.js';

const CALL_ENDS: Readonly<Record<string, CallEnd>> = { BUSY: 'busy', 'NO CARRIER': 'no-carrier', 'NO ANSWER': 'no-answer' };

/** Counters for the handset's own diagnostics. */
export interface AtModemStats {
  smsFailed: number;
  smsBadIncoming: number;
  /** Times the modem rebooted on its own (RDY) and was set up again. */
  modemRestarts: number;
}

/** The firmware's modem, driven over AT with protocol/at's engine (see the file comment). */
export class AtHandsetModem implements HandsetModem {
  readonly engine: AtEngine;
  readonly stats: AtModemStats = { smsFailed: 0, smsBadIncoming: 0, modemRestarts: 0 };
  private isRegistered = false;
  private readonly callEnded = new Set<(why: CallEnd) => void>();
  private readonly smsListeners = new Set<(sms: IncomingSms) => void>();
  private readonly regListeners = new Set<(registered: boolean) => void>();

  constructor(line: Transport, clock: Clock) {
    this.engine = new AtEngine(line, { clock });
    this.engine.onUrc((urc) => {
      const end = CALL_ENDS[urc.name];
      if (end !== undefined) for (const l of this.callEnded) l(end);
      else if (urc.name === '+CREG') this.registration(urc.line);
      else if (urc.name === '+CMT') this.incoming(urc.line, urc.body);
      else if (urc.name === 'RDY') this.rebooted();
    });
  }

  async start(): Promise<boolean> {
    // ATE0 first: the engine tolerates echo, but a handset has no use for it.
    const steps = ['ATE0', cmee(1), cregSet(1), clip(true), cmgf(0), cnmi(2, 2, 0, 0, 0)];
    for (const step of steps) if (!(await this.engine.send(step)).ok) return false;
    const r = await this.engine.send(cregRead());
    if (r.ok) for (const l of r.lines) this.registration(l);
    return true;
  }

  async sendSms(to: string, text: string, concatRef: number): Promise<boolean> {
    let parts;
    try {
      parts = encodeSubmit(to, text, { concatRef: concatRef & 0xff });
    } catch {
      this.stats.smsFailed++;
      return false;
    }
    for (const p of parts) {
      const b = cmgs(p.tpduLength, p.pdu, { timeoutMs: 60_000 });
      const r: AtResult | undefined = b.ok ? await this.engine.send(b.command) : undefined;
      if (r === undefined || !r.ok) {
        this.stats.smsFailed++;
        return false;
      }
    }
    return true;
  }

  async dial(number: string): Promise<boolean> {
    const b = dial(number);
    return b.ok && (await this.engine.send(b.command)).ok;
  }

  async hangUp(): Promise<void> {
    await this.engine.send(hangup());
  }

  async callState(): Promise<CallState> {
    const r = await this.engine.send(clcc());
    if (!r.ok) return 'none';
    let state: CallState = 'none';
    for (const l of r.lines) {
      const c = parseClcc(l);
      if (!c.ok || c.value.direction !== 'outgoing') continue;
      if (c.value.state === 'active') state = 'active';
      else if (c.value.state === 'alerting' && state !== 'active') state = 'alerting';
      else if (c.value.state === 'dialing' && state === 'none') state = 'dialling';
    }
    return state;
  }

  async signal(): Promise<number> {
    const r = await this.engine.send(csq());
    const line = r.lines.find((l) => l.startsWith('+CSQ:'));
    const p = r.ok && line !== undefined ? parseCsq(line) : undefined;
    return p?.ok ? p.value.rssi : 99;
  }

  registered(): boolean {
    return this.isRegistered;
  }

  onCallEnded(listener: (why: CallEnd) => void): void {
    this.callEnded.add(listener);
  }

  onSms(listener: (sms: IncomingSms) => void): void {
    this.smsListeners.add(listener);
  }

  onRegistration(listener: (registered: boolean) => void): void {
    this.regListeners.add(listener);
  }

  /** The modem restarted (watchdog, brown-out): its settings are back to defaults, so set it up again. */
  private rebooted(): void {
    this.stats.modemRestarts++;
    this.isRegistered = false;
    // A reboot drops any call without a NO CARRIER: say so, or the firmware would wait in-call forever.
    for (const l of this.callEnded) l('modem-restart');
    void this.start();
  }

  private registration(line: string): void {
    const p = parseCreg(line);
    if (!p.ok) return;
    const now = p.value.registered;
    if (now === this.isRegistered) return;
    this.isRegistered = now;
    for (const l of this.regListeners) l(now);
  }

  private incoming(line: string, body: string | undefined): void {
    const cmt = parseCmt(line, body);
    const d = cmt.ok ? tryDecodeDeliver(cmt.value.pdu) : undefined;
    if (d === undefined || !d.ok) {
      this.stats.smsBadIncoming++;
      return;
    }
    for (const l of this.smsListeners) l({ from: d.value.from, text: d.value.text });
  }
}
