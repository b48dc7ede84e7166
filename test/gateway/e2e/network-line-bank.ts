// A LineBank for end-to-end tests that attaches the control room's lines straight to firmware-sim's
// simulated GSM network, without modems: the network's SMS become the DELIVER PDUs a modem would give
// (+CMT, via the simulated modem's own deliverPdus), its calls become RING/+CLIP-style call events. It stands
// in for gateway/lines (modems over mock:/tcp://) so the core, store, HTTP and WebSocket edge can be tested
// against real handset firmware.
import { decodeSubmit } from '../../../protocol/sms/index.js';
import type { Clock } from '../../../protocol/time/clock.js';
import { deliverPdus } from '../../../firmware-sim/modem/deliver-pdu.js';
import type { SimNetwork } from '../../../firmware-sim/network/index.js';
import type { CallEndReason, IncomingCall, NetworkLink, NetworkSms, NetworkTerminal, SmsAcceptance } from '../../../firmware-sim/network/index.js';
import type { LineActionResult, LineBank, LineBankListener, LineHealthReport } from '../../../gateway/lines/types.js';

const SMSC = '+447785016005';

class NetworkLine implements NetworkTerminal {
  readonly link: NetworkLink;
  callId: number | null = null;
  hangingUp = false;

  constructor(
    readonly lineId: string,
    network: SimNetwork,
    msisdn: string,
    private readonly listener: LineBankListener,
    private readonly clock: Clock,
  ) {
    this.link = network.attach(msisdn, this);
  }

  radioChanged(): void {}
  callAlerting(): void {}
  deliverStatusReport(): void {}

  incomingCall(call: IncomingCall): void {
    this.callId = call.callId;
    this.listener.onCall({ kind: 'ringing', lineId: this.lineId, at: this.clock.now(), number: call.from ?? null, toa: 145 });
  }

  callConnected(): void {
    this.listener.onCall({ kind: 'answered', lineId: this.lineId, at: this.clock.now() });
  }

  callEnded(_callId: number, _reason: CallEndReason): void {
    this.callId = null;
    this.listener.onCall({ kind: 'ended', lineId: this.lineId, at: this.clock.now(), endedBy: this.hangingUp ? 'handler' : 'caller' });
    this.hangingUp = false;
  }

  deliverSms(sms: NetworkSms): SmsAcceptance {
    for (const p of deliverPdus(sms, SMSC)) {
      this.listener.onSms({ lineId: this.lineId, pdu: p.pdu, index: null, receivedAt: this.clock.now(), release: async () => {} });
    }
    return 'accepted';
  }
}

export class NetworkLineBank implements LineBank {
  readonly lines: NetworkLine[];
  readonly sentTexts: string[] = [];

  constructor(network: SimNetwork, numbers: readonly string[], listener: LineBankListener, clock: Clock) {
    this.lines = numbers.map((n, i) => new NetworkLine(`L${i + 1}`, network, n, listener, clock));
  }

  private line(lineId: string): NetworkLine | undefined {
    return this.lines.find((l) => l.lineId === lineId);
  }

  async answer(lineId: string): Promise<LineActionResult> {
    const l = this.line(lineId);
    return l?.callId != null && l.link.answer(l.callId) ? { ok: true, detail: 'OK' } : { ok: false, detail: 'NO CARRIER' };
  }

  async hangUp(lineId: string): Promise<LineActionResult> {
    const l = this.line(lineId);
    if (l?.callId == null) return { ok: false, detail: 'no call' };
    l.hangingUp = true;
    l.link.hangup(l.callId);
    return { ok: true, detail: 'OK' };
  }

  async sendSms(parts: readonly { pdu: string; tpduLength: number }[]) {
    const line = this.lines[0] as NetworkLine;
    for (const p of parts) {
      const s = decodeSubmit(p.pdu);
      this.sentTexts.push(s.text);
      const r = line.link.submitSms(s.to, { text: s.text, ...(s.concat !== undefined && { concat: s.concat }), udh: s.udh }, { messageReference: s.messageReference, statusReportRequested: false });
      if (!r.ok) return { ok: false as const, detail: r.reason, lineId: null };
    }
    return { ok: true as const, detail: `+CMGS x${parts.length}`, lineId: line.lineId };
  }

  health(): LineHealthReport[] {
    return this.lines.map((l) => ({ lineId: l.lineId, spec: `sim:${l.link.msisdn}`, state: 'up', registration: 1, csq: 20, detail: 'simulated network' }));
  }

  async start(): Promise<void> {}
  async close(): Promise<void> {
    for (const l of this.lines) l.link.detach();
  }
}
