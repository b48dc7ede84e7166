import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SimButton, type ButtonEvent, type ButtonOptions } from '../../../firmware-sim/handset/button.js';

const HOLD: ButtonOptions = { gesture: 'hold', holdMs: 2000, presses: 3, pressWindowMs: 3000 };
const PRESSES: ButtonOptions = { ...HOLD, gesture: 'presses' };

function setup(options: ButtonOptions) {
  const clock = new ManualClock();
  const button = new SimButton(clock, options);
  const events: ButtonEvent[] = [];
  button.onEvent((e) => events.push(e));
  const alarms = () => events.filter((e) => e.type === 'alarm');
  const presses = () => events.filter((e) => e.type === 'press');
  return { clock, button, alarms, presses };
}

/** A real press: the contact chatters for a few ms, then stays closed. */
function bouncyPress(clock: ManualClock, button: SimButton): void {
  for (let i = 0; i < 3; i++) {
    button.setContact(true);
    clock.advance(3);
    button.setContact(false);
    clock.advance(2);
  }
  button.setContact(true);
}

describe('SimButton', () => {
  it('a 2 s hold raises one alarm while the button is still held, even through contact bounce', () => {
    const { clock, button, alarms } = setup(HOLD);
    bouncyPress(clock, button);
    clock.advance(2029);
    expect(alarms()).toHaveLength(0);
    clock.advance(1);
    expect(alarms()).toEqual([{ type: 'alarm', gesture: 'hold', atMs: clock.now() }]);
    clock.advance(5000);
    button.setContact(false);
    clock.advance(100);
    expect(alarms()).toHaveLength(1);
  });

  it('a hold shorter than 2 s raises nothing', () => {
    const { clock, button, alarms, presses } = setup(HOLD);
    button.setContact(true);
    clock.advance(1900);
    button.setContact(false);
    clock.advance(5000);
    expect(alarms()).toHaveLength(0);
    expect(presses()).toHaveLength(1);
    expect(presses()[0]).toMatchObject({ durationMs: 1900 });
  });

  it('ignores bounces shorter than 30 ms: a glitch is not a press', () => {
    const { clock, button, presses } = setup(HOLD);
    button.setContact(true);
    clock.advance(20);
    button.setContact(false);
    clock.advance(1000);
    expect(presses()).toHaveLength(0);
  });

  it('3 presses within 3 s raise an alarm in presses mode; a bounce does not count as a press', () => {
    const { clock, button, alarms, presses } = setup(PRESSES);
    for (let i = 0; i < 3; i++) {
      bouncyPress(clock, button);
      clock.advance(200);
      button.setContact(false);
      clock.advance(600);
    }
    expect(presses()).toHaveLength(3);
    expect(alarms()).toEqual([expect.objectContaining({ gesture: 'presses' })]);
  });

  it('presses spread over more than 3 s raise nothing, and a hold does nothing in presses mode', () => {
    const { clock, button, alarms } = setup(PRESSES);
    for (let i = 0; i < 3; i++) {
      button.setContact(true);
      clock.advance(200);
      button.setContact(false);
      clock.advance(1500);
    }
    button.hold(5000);
    clock.advance(6000);
    expect(alarms()).toHaveLength(0);
  });

  it('two presses do not raise an alarm in presses mode', () => {
    const { clock, button, alarms } = setup(PRESSES);
    for (let i = 0; i < 2; i++) {
      button.hold(150);
      clock.advance(400);
    }
    clock.advance(5000);
    expect(alarms()).toHaveLength(0);
  });
});
