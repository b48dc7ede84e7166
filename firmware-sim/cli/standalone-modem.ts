// One simulated modem on a network of its own, for outside AT programs (gammu, smsd, a gateway under test):
// its serial side on a TCP port (and optionally a pty via socat), plus a small control language to make the
// network call it or send it SMS, since there is nobody else on that network.
//
// Control lines (stdin of `npm run sim -- modem`, or StandaloneModem.control() in tests):
//   sms <from> <text...>        an SMS from <from> to the modem
//   call <from>                 <from> calls the modem (it RINGs)
//   hangup                      every outside phone hangs up
//   answer                      the outside phone the modem called answers
//   radio <home|roaming|searching|denied|not-searching> [rssi]
//   down | up                   the whole network
//   hang | reset                modem faults
// Network events are reported as JSON lines (sms-submitted carries the text the modem sent).

import type { Clock } from '../../protocol/time/clock.js';
import { systemClock } from '../../protocol/time/clock.js';
import { SeededRandom } from '../../protocol/time/random.js';
import { SimModem } from '../modem/sim-modem.js';
import { SimNetwork } from '../network/sim-network.js';
import { VirtualPhone } from '../network/virtual-phone.js';
import type { NetworkEvent } from '../network/events.js';
import type { Registration } from '../network/radio.js';
import { TcpSerialServer } from '../transport/tcp-serial-server.js';
import { PtyBridge } from '../transport/pty-bridge.js';

/** How to start the standalone modem. */
export interface StandaloneModemOptions {
  readonly host?: string;
  /** TCP port of the serial side; 0 picks a free one. */
  readonly port: number;
  /** Also create a pty linked at this path (needs socat). */
  readonly ptyPath?: string;
  /** The modem's own number; default +447700900001. */
  readonly msisdn?: string;
  readonly clock?: Clock;
  readonly seed?: number;
}

/** A running standalone modem. */
export interface StandaloneModem {
  readonly modem: SimModem;
  readonly network: SimNetwork;
  readonly server: TcpSerialServer;
  readonly pty: PtyBridge | undefined;
  /** Every network event so far, in order. */
  readonly events: NetworkEvent[];
  /** The outside phone with this number (created on first use). */
  phone(msisdn: string): VirtualPhone;
  /** Runs one control line (see the file comment); returns a one-line answer. */
  control(line: string): string;
  close(): Promise<void>;
}

const RADIO: readonly Registration[] = ['home', 'roaming', 'searching', 'denied', 'not-searching'];

/** Starts the modem, its TCP listener and, when asked, the pty bridge. */
export async function startStandaloneModem(options: StandaloneModemOptions): Promise<StandaloneModem> {
  const clock = options.clock ?? systemClock;
  const network = new SimNetwork({ clock, random: new SeededRandom(options.seed ?? 1), callSetupMs: 200 });
  const events: NetworkEvent[] = [];
  network.onEvent((e) => events.push(e));
  const msisdn = options.msisdn ?? '+447700900001';
  const modem = new SimModem({ clock, network, msisdn });
  const server = await TcpSerialServer.listen({ port: options.port, ...(options.host !== undefined ? { host: options.host } : {}) });
  modem.connect(server);
  let pty: PtyBridge | undefined;
  try {
    if (options.ptyPath !== undefined) {
      pty = await PtyBridge.start({ path: options.ptyPath, tcpPort: server.port, ...(options.host !== undefined ? { tcpHost: options.host } : {}) });
    }
  } catch (e) {
    await server.closeAsync();
    throw e;
  }
  const phones = new Map<string, VirtualPhone>();
  const phone = (n: string): VirtualPhone => {
    let p = phones.get(n);
    if (p === undefined) {
      p = new VirtualPhone(network, n);
      phones.set(n, p);
    }
    return p;
  };
  const control = (line: string): string => {
    const [verb, ...rest] = line.trim().split(/\s+/);
    switch (verb) {
      case 'sms': {
        const [from, ...words] = rest;
        if (from === undefined || words.length === 0) return 'usage: sms <from> <text>';
        return phone(from).sendSms(msisdn, line.trim().replace(/^sms\s+\S+\s*/, '')) ? 'ok' : 'failed';
      }
      case 'call': {
        const from = rest[0];
        if (from === undefined) return 'usage: call <from>';
        const r = phone(from).dial(msisdn);
        return typeof r === 'number' ? `ok call ${r}` : `failed ${r}`;
      }
      case 'hangup': {
        for (const c of network.activeCalls()) {
          const p = [...phones.values()].find((x) => x.msisdn === c.from || x.msisdn === c.to);
          p?.hangup(c.id);
        }
        return 'ok';
      }
      case 'answer': {
        for (const p of phones.values()) {
          const ringing = p.ringing();
          if (ringing !== undefined && p.answer(ringing.callId)) return 'ok';
        }
        return 'failed nothing rings';
      }
      case 'radio': {
        const reg = rest[0] as Registration;
        if (!RADIO.includes(reg)) return `usage: radio <${RADIO.join('|')}> [rssi]`;
        const rssi = rest[1] === undefined ? undefined : Number(rest[1]);
        network.setRadio(msisdn, { registration: reg, ...(rssi !== undefined ? { rssi } : {}) });
        return 'ok';
      }
      case 'down':
      case 'up':
        network.setDown(verb === 'down');
        return 'ok';
      case 'hang':
        modem.hang();
        return 'ok';
      case 'reset':
        modem.reset();
        return 'ok';
      default:
        return 'commands: sms <from> <text> | call <from> | hangup | answer | radio <state> [rssi] | down | up | hang | reset';
    }
  };
  return {
    modem,
    network,
    server,
    pty,
    events,
    phone,
    control,
    close: async () => {
      await pty?.close();
      await server.closeAsync();
    },
  };
}
