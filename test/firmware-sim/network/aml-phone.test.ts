// An ordinary phone with AML on the simulated network: dialling 999 sends its position by SMS within seconds,
// even while the network holds the call in the emergency queue (every control-room line busy).
import { describe, expect, it } from 'vitest';
import { parseAml } from '../../../protocol/report/aml.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { AmlPhone, SimNetwork, VirtualPhone, type AmlPosition } from '../../../firmware-sim/network/index.js';

const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const LINE = '+441632960001';
const POSITION: AmlPosition = {
  latitude: 51.5007, longitude: -0.1218, radiusM: 25, confidencePct: 68, method: 'gnss',
  imsi: '234302543446355', imei: '356708041746734', mcc: '234', mnc: '30',
};

function setup() {
  const clock = new ManualClock(START);
  const network = new SimNetwork({ clock, random: new SeededRandom(1), emergencyLines: [LINE] });
  const line = new VirtualPhone(network, LINE);
  return { clock, network, line };
}

const texts = (p: VirtualPhone): string[] => p.received.map((s) => s.content.text);

describe('AmlPhone', () => {
  it('sends its position to the AML number a few seconds after dialling 999, while the call is still queued', () => {
    const { clock, network, line } = setup();
    const busy = new VirtualPhone(network, '+447700900201');
    busy.dial('999');
    clock.advance(1000);
    expect(line.ringing()?.from).toBe('+447700900201');

    const her = new AmlPhone(network, '+447700900555', { amlNumber: LINE, position: POSITION, delayMs: 4000 });
    const callId = her.dial('999') as number;
    clock.advance(3999);
    expect(texts(line)).toEqual([]);
    clock.advance(1);
    expect(network.activeCalls().find((c) => c.id === callId)?.state).toBe('queued');
    expect(line.received.map((s) => s.from)).toEqual(['+447700900555']);
    const aml = parseAml(texts(line)[0] as string);
    expect(aml).toMatchObject({ ok: true, hasFix: true, latitude: 51.5007, longitude: -0.1218, radiusM: 25, method: 'gnss', lengthExact: true });
    expect(her.amlSent).toEqual(texts(line));
    expect(texts(line)[0]).toContain(';top=20261123060005;');
  });

  it('sends one AML per emergency call, with where she is then; none for an ordinary call or a dial with no service', () => {
    const { clock, network, line } = setup();
    const friend = new VirtualPhone(network, '+447700900777');
    const her = new AmlPhone(network, '07700900555', { amlNumber: LINE, position: POSITION });
    her.dial('07700900777');
    clock.advance(60_000);
    expect(texts(line)).toEqual([]);
    expect(friend.events.some((e) => e.type === 'incoming')).toBe(true);

    const first = her.dial('#31#999') as number;
    clock.advance(10_000);
    her.hangup(first);
    her.position = { ...POSITION, latitude: 51.51, radiusM: 40 };
    her.dial('112');
    clock.advance(10_000);
    expect(texts(line).map((t) => parseAml(t))).toMatchObject([{ latitude: 51.5007, radiusM: 25 }, { latitude: 51.51, radiusM: 40 }]);

    network.setRadio('+447700900555', { registration: 'searching', rssi: 99 });
    expect(her.dial('999')).toBe('no-network');
    clock.advance(60_000);
    expect(texts(line)).toHaveLength(2);
  });
});
