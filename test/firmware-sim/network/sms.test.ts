import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { SimNetwork, VirtualPhone, type NetworkEvent, type SimNetworkOptions } from '../../../firmware-sim/network/index.js';

function setup(seed = 7, options: Partial<SimNetworkOptions> = {}) {
  const clock = new ManualClock();
  const network = new SimNetwork({ clock, random: new SeededRandom(seed), smsRetryMs: 30_000, smsValidityMs: 120_000, ...options });
  const events: NetworkEvent[] = [];
  network.onEvent((e) => events.push(e));
  const a = new VirtualPhone(network, '+447700900456');
  const b = new VirtualPhone(network, '+447700900001');
  return { clock, network, events, a, b };
}

const texts = (p: VirtualPhone): string[] => p.received.map((s) => s.content.text);

describe('SimNetwork SMS', () => {
  it('delivers after the configured delay, in order by default', () => {
    const { clock, network, a, b } = setup();
    network.setSmsRules({ delayMs: 5000 });
    for (let i = 1; i <= 5; i++) a.sendSms('07700900001', `m${i}`);
    clock.advance(4999);
    expect(texts(b)).toEqual([]);
    clock.advance(1);
    expect(texts(b)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(b.received[0]).toMatchObject({ from: '+447700900456', to: '+447700900001', messageReference: 1 });
    expect(network.smsPending).toBe(0);
  });

  it('loses, duplicates and reorders reproducibly from the seed', () => {
    const run = (seed: number) => {
      const { clock, network, events, a, b } = setup(seed);
      network.setSmsRules({ delayMs: 1000, reorderMs: 20_000, lossProbability: 0.2, duplicateProbability: 0.2 });
      for (let i = 0; i < 50; i++) a.sendSms('+447700900001', `m${i}`);
      clock.advance(30_000);
      const count = (t: NetworkEvent['type']) => events.filter((e) => e.type === t).length;
      return { got: texts(b), lost: count('sms-dropped'), dup: count('sms-duplicated'), pending: network.smsPending };
    };
    const first = run(3);
    expect(run(3)).toEqual(first);
    expect(first.lost).toBeGreaterThan(0);
    expect(first.dup).toBeGreaterThan(0);
    expect(first.got).toHaveLength(50 - first.lost + first.dup);
    expect(first.got).not.toEqual([...first.got].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
    expect(first.pending).toBe(0);
    expect(run(4).got).not.toEqual(first.got);
  });

  it('applies the most specific route rule: from+to, then to, then from, then global', () => {
    const { clock, network, a, b } = setup();
    const c = new VirtualPhone(network, '+447700900002');
    network.setSmsRules({ delayMs: 100 });
    network.setSmsRules({ delayMs: 10_000 }, { to: '+447700900001' });
    network.setSmsRules({ lossProbability: 1 }, { from: '+447700900456', to: '+447700900002' });
    a.sendSms('+447700900001', 'slow');
    a.sendSms('+447700900002', 'lost');
    c.sendSms('+447700900456', 'fast');
    clock.advance(100);
    expect(texts(a)).toEqual(['fast']);
    expect(texts(b)).toEqual([]);
    clock.advance(10_000);
    expect(texts(b)).toEqual(['slow']);
    expect(texts(c)).toEqual([]);
  });

  it('holds a message for an unreachable or full phone, retries, and expires it after the validity period', () => {
    const { clock, network, events, a, b } = setup();
    network.setRadio('+447700900001', { registration: 'searching', rssi: 99 });
    a.sendSms('+447700900001', 'later', true);
    clock.advance(0);
    expect(events.filter((e) => e.type === 'sms-deferred')).toHaveLength(1);
    network.setRadio('+447700900001', { registration: 'home', rssi: 20 });
    clock.advance(30_000);
    expect(texts(b)).toEqual(['later']);
    expect(a.events.filter((e) => e.type === 'status-report').map((e) => e.type === 'status-report' && e.report.delivered)).toEqual([true]);
    b.acceptance = 'memory-full';
    a.sendSms('+447700900001', 'never', true);
    clock.advance(120_000);
    const dropped = events.filter((e) => e.type === 'sms-dropped');
    expect(dropped.map((e) => e.type === 'sms-dropped' && e.reason)).toEqual(['expired']);
    expect(a.events.filter((e) => e.type === 'status-report').map((e) => e.type === 'status-report' && e.report.delivered)).toEqual([true, false]);
  });

  it('drops a message to a number nobody has; refuses submission without service', () => {
    const { clock, network, events, a } = setup();
    expect(a.sendSms('+447700999999', 'nobody')).toBe(true);
    clock.advance(0);
    expect(events.at(-1)).toMatchObject({ type: 'sms-dropped', reason: 'unknown-destination' });
    network.setDown(true);
    expect(a.sendSms('+447700900001', 'no')).toBe(false);
  });

  it('accepts an SMS from outside the simulation', () => {
    const { clock, network, b } = setup();
    expect(network.submitFromOutside('+447700900999', '+447700900001', { text: 'from outside' }).ok).toBe(true);
    clock.advance(0);
    expect(b.received.map((s) => [s.from, s.content.text])).toEqual([['+447700900999', 'from outside']]);
  });

  it('rejects impossible rules with a message a person can act on', () => {
    const { network } = setup();
    expect(() => network.setSmsRules({ lossProbability: 1.5 })).toThrow(/probability in \[0, 1\]/);
    expect(() => network.setSmsRules({ delayMs: -1 })).toThrow(/>= 0 ms/);
  });
});
