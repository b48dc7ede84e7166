import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { SimNetwork, VirtualPhone, type NetworkEvent, type SimNetworkOptions } from '../../../firmware-sim/network/index.js';

function setup(options: Partial<SimNetworkOptions> = {}) {
  const clock = new ManualClock();
  const network = new SimNetwork({ clock, random: new SeededRandom(1), callSetupMs: 1000, noAnswerMs: 30_000, ...options });
  const events: NetworkEvent[] = [];
  network.onEvent((e) => events.push(e));
  const callStates = (): string[] => events.flatMap((e) => (e.type === 'call' ? [`${e.callId}:${e.state}${e.reason ? `:${e.reason}` : ''}`] : []));
  return { clock, network, events, callStates };
}

const ended = (p: VirtualPhone): string[] => p.events.flatMap((e) => (e.type === 'ended' ? [e.reason] : []));

describe('SimNetwork calls', () => {
  it('sets up, alerts, connects and clears a call, reporting each state', () => {
    const { clock, network, callStates } = setup();
    const a = new VirtualPhone(network, '+447700900456');
    const b = new VirtualPhone(network, '07700900001');
    expect(b.msisdn).toBe('+447700900001');
    const id = a.dial('07700900001') as number;
    expect(b.ringing()).toBeUndefined();
    clock.advance(1000);
    expect(b.ringing()).toEqual({ callId: id, from: '+447700900456', emergency: false });
    expect(b.answer(id)).toBe(true);
    expect(a.events.map((e) => e.type).filter((t) => t !== 'radio')).toEqual(['alerting', 'connected']);
    b.hangup(id);
    expect(ended(a)).toEqual(['hangup']);
    expect(ended(b)).toEqual([]);
    expect(callStates()).toEqual([`${id}:setup`, `${id}:alerting`, `${id}:active`, `${id}:ended:hangup`]);
    expect(network.activeCalls()).toEqual([]);
  });

  it('withholds the caller number per call (#31#) or per subscriber', () => {
    const { clock, network } = setup();
    const a = new VirtualPhone(network, '+447700900456');
    const hidden = new VirtualPhone(network, '+447700900457', { withholdCli: true });
    const b = new VirtualPhone(network, '+447700900001');
    a.dial('#31#07700900001');
    clock.advance(1000);
    expect(b.ringing()?.from).toBeUndefined();
    a.hangup(b.ringing()!.callId);
    hidden.dial('+447700900001');
    clock.advance(1000);
    expect(b.ringing()?.from).toBeUndefined();
  });

  it('busy, rejected, no answer, unreachable and no network', () => {
    const { clock, network } = setup();
    const a = new VirtualPhone(network, '+447700900456');
    const b = new VirtualPhone(network, '+447700900001');
    const c = new VirtualPhone(network, '+447700900002');
    const ab = a.dial('+447700900001') as number;
    clock.advance(1000);
    b.answer(ab);
    c.dial('+447700900001');
    clock.advance(1000);
    expect(ended(c)).toEqual(['busy']);
    b.hangup(ab);
    const cb = c.dial('+447700900001') as number;
    clock.advance(1000);
    b.hangup(cb);
    expect(ended(c)).toEqual(['busy', 'rejected']);
    c.dial('+447700900001');
    clock.advance(1000 + 30_000);
    expect(ended(c)).toEqual(['busy', 'rejected', 'no-answer']);
    expect(ended(b).at(-1)).toBe('hangup');
    c.dial('+447700999999');
    clock.advance(1000);
    expect(ended(c).at(-1)).toBe('unreachable');
    network.setRadio('+447700900001', { registration: 'searching', rssi: 99 });
    c.dial('+447700900001');
    clock.advance(1000);
    expect(ended(c).at(-1)).toBe('unreachable');
    network.setDown(true);
    expect(c.dial('+447700900456')).toBe('no-network');
  });

  it('routes 999 and 112 to the first idle hunt-group line and queues when all are busy', () => {
    const { clock, network } = setup({ emergencyLines: ['+441632960001', '+441632960002'] });
    const l1 = new VirtualPhone(network, '+441632960001');
    const l2 = new VirtualPhone(network, '+441632960002');
    const v1 = new VirtualPhone(network, '+447700900101');
    const v2 = new VirtualPhone(network, '+447700900102');
    const v3 = new VirtualPhone(network, '+447700900103');
    const c1 = v1.dial('999') as number;
    clock.advance(1000);
    expect(l1.ringing()).toEqual({ callId: c1, from: '+447700900101', emergency: true });
    const c2 = v2.dial('112') as number;
    clock.advance(1000);
    expect(l2.ringing()?.callId).toBe(c2);
    const c3 = v3.dial('999') as number;
    clock.advance(1000);
    // Queued: the caller hears ringing, no line rings, and an emergency call never times out.
    expect(v3.events.some((e) => e.type === 'alerting')).toBe(true);
    clock.advance(10 * 60_000);
    expect(ended(v3)).toEqual([]);
    expect(network.activeCalls().find((c) => c.id === c3)?.state).toBe('queued');
    l1.answer(c1);
    l1.hangup(c1);
    expect(l1.ringing()?.callId).toBe(c3);
    expect(v3.events.filter((e) => e.type === 'alerting')).toHaveLength(1);
  });

  it('offers a ringing emergency call to the next idle line when its line loses service', () => {
    const { clock, network } = setup({ emergencyLines: ['+441632960001', '+441632960002'] });
    const l1 = new VirtualPhone(network, '+441632960001');
    const l2 = new VirtualPhone(network, '+441632960002');
    const v = new VirtualPhone(network, '+447700900101');
    const id = v.dial('999') as number;
    clock.advance(1000);
    expect(l1.ringing()?.callId).toBe(id);
    network.setRadio('+441632960001', { registration: 'not-searching', rssi: 99 });
    expect(l2.ringing()?.callId).toBe(id);
    expect(ended(v)).toEqual([]);
    expect(l2.answer(id)).toBe(true);
  });

  it('an emergency call with no hunt group configured is unreachable', () => {
    const { clock, network } = setup();
    const v = new VirtualPhone(network, '+447700900101');
    v.dial('999');
    clock.advance(1000);
    expect(ended(v)).toEqual(['unreachable']);
  });

  it('drops an active call when a side loses coverage or detaches', () => {
    const { clock, network } = setup();
    const a = new VirtualPhone(network, '+447700900456');
    const b = new VirtualPhone(network, '+447700900001');
    const id = a.dial('+447700900001') as number;
    clock.advance(1000);
    b.answer(id);
    network.setRadio('+447700900456', { registration: 'searching', rssi: 99 });
    expect(ended(a)).toEqual(['radio-lost']);
    expect(ended(b)).toEqual(['hangup']);
    network.setRadio('+447700900456', { registration: 'home', rssi: 20 });
    const id2 = a.dial('+447700900001') as number;
    clock.advance(1000);
    b.answer(id2);
    b.link.detach();
    expect(ended(a)).toEqual(['radio-lost', 'hangup']);
  });

  it('refuses a second phone with the same number and a malformed number', () => {
    const { network } = setup();
    new VirtualPhone(network, '+447700900456');
    expect(() => new VirtualPhone(network, '07700900456')).toThrow(/already attached/);
    expect(() => new VirtualPhone(network, 'abc')).toThrow(/not an MSISDN/);
  });
});
