// The call tracker at the edges a careless change would break unseen (found by a hand-run mutation check): what
// the handler sees when ATA or ATH answers at an awkward moment, a list that comes back after the call changed,
// the caller id wait's clock, and a lost link's grace.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { parseClcc, type CallEntry, type Urc } from '../../../protocol/at/index.js';
import { CallTracker, IDENTIFY_LIST_LIMIT, LINK_GRACE_MS } from '../../../gateway/lines/call-tracker.js';
import type { CallList } from '../../../gateway/lines/call-list.js';
import type { LineCallEvent } from '../../../gateway/lines/types.js';

const urc = (line: string): Urc => ({ name: line.startsWith('+') ? line.slice(0, line.indexOf(':')) : line, line });
const entry = (line: string): CallEntry => {
  const p = parseClcc(line);
  if (!p.ok) throw new Error(p.reason);
  return p.value;
};
const HER_RINGING = '+CLCC: 1,1,4,0,0,"+447700900123",145';
const HER_UP = '+CLCC: 1,1,0,0,0,"+447700900123",145';

/** A tracker whose AT+CLCC answers are given by the test, one by one, when it chooses (`answer`). */
function tracker() {
  const clock = new ManualClock();
  const events: LineCallEvent[] = [];
  const waiting: ((l: CallList) => void)[] = [];
  const args: [boolean | undefined, boolean | undefined][] = [];
  const t = new CallTracker('L1', clock, (e) => events.push(e), (urgent, numberOnly) => {
    args.push([urgent, numberOnly]);
    return new Promise<CallList>((resolve) => waiting.push(resolve));
  });
  const flush = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  /** Answers the oldest AT+CLCC still waiting (or the one `at` that position). */
  const answer = async (l: CallList, at = 0) => {
    const next = waiting.splice(at, 1)[0];
    if (next === undefined) throw new Error('no AT+CLCC is waiting');
    next(l);
    await flush();
  };
  const kinds = () => events.map((e) => (e.kind === 'ended' ? `ended:${e.endedBy}` : e.kind === 'ringing' ? `ringing:${e.number}` : e.kind === 'identified' ? `identified:${e.number}` : e.kind));
  return { clock, events, t, flush, answer, asked: () => waiting.length, waiting, kinds, args };
}

/** A call ringing with her number (+CLIP), answered by the handler: the tracker is active. */
function answeredCall() {
  const x = tracker();
  x.t.onUrc(urc('+CLIP: "+447700900123",145'));
  x.t.answered();
  expect(x.kinds()).toEqual(['ringing:+447700900123', 'answered']);
  return x;
}

describe('CallTracker: answer and hang-up at awkward moments', () => {
  it('ATA answered OK before the caller id wait ended: ringing (number unknown) and answered at once, her number identified when +CLIP comes', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.t.answered();
    expect(x.kinds()).toEqual(['ringing:null', 'answered']);
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,0'));
    expect(x.kinds()).toEqual(['ringing:null', 'answered', 'identified:+447700900123']);
  });

  it('an ATA OK after the call ended (NO CARRIER first) answers nothing', () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.onUrc(urc('NO CARRIER'));
    x.t.answered();
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'ended:caller']);
    expect(x.t.phase).toBe('idle');
  });

  it('ATA answered NO CARRIER: the caller had gone, ended by caller', () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.answerFailed();
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'ended:caller']);
  });

  it('an ATH that failed leaves no hang-up behind: a NO CARRIER later is the caller', () => {
    const x = answeredCall();
    x.t.hangUpStarted();
    x.t.hangUpFinished(false);
    expect(x.t.phase).toBe('active');
    x.t.onUrc(urc('NO CARRIER'));
    expect(x.kinds().at(-1)).toBe('ended:caller');
  });

  it('a link lost while our hang-up runs ends the call at once (by network), no grace', () => {
    const x = answeredCall();
    x.t.hangUpStarted();
    x.t.lineLost('link');
    expect(x.kinds().at(-1)).toBe('ended:network');
  });

  it('a call answered before a restart is not adopted over a call the line is ringing with', () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.adoptAnswered();
    expect(x.t.phase).toBe('ringing');
    expect(x.kinds()).toEqual(['ringing:+447700900123']);
  });
});

describe('CallTracker: a poll whose answer comes back late', () => {
  it('no poll of a call being hung up (its AT+CLCC would only delay the ATH)', async () => {
    const x = answeredCall();
    x.t.hangUpStarted();
    void x.t.poll();
    await x.flush();
    expect(x.asked()).toBe(0);
  });

  it('a poll answered "no call" after our hang-up started is our hang-up, not the caller', async () => {
    const x = answeredCall();
    const polled = x.t.poll();
    x.t.hangUpStarted();
    await x.answer([]);
    await polled;
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'answered']);
    x.t.hangUpFinished(true);
    expect(x.kinds().at(-1)).toBe('ended:handler');
  });

  it('a poll of an ended call answered after the next call was answered does not end the new one', async () => {
    const x = answeredCall();
    const polled = x.t.poll();
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    x.t.answered();
    await x.answer([]);
    await polled;
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'answered', 'ended:caller', 'ringing:+447700900456', 'answered']);
    expect(x.t.phase).toBe('active');
  });

  it('a poll listing only another caller waiting (stat 5) or an outgoing call: her call has ended', async () => {
    const x = answeredCall();
    const p = x.t.poll();
    await x.answer([entry('+CLCC: 2,1,5,0,0,"+447700900999",145')]);
    await p;
    expect(x.kinds().at(-1)).toBe('ended:caller');

    const y = answeredCall();
    const q = y.t.poll();
    await y.answer([entry('+CLCC: 2,0,0,0,0,"+447700900999",145')]);
    await q;
    expect(y.kinds().at(-1)).toBe('ended:caller');
  });

  it('a lost link twice: the grace runs from the first loss, and a poll that finds the call cancels it for good', async () => {
    const x = answeredCall();
    x.t.lineLost('link');
    x.clock.advance(30_000);
    x.t.lineLost('link'); // the line came back and was lost again before its first poll
    const p = x.t.poll();
    await x.answer([entry(HER_UP)]);
    await p;
    expect(x.t.unconfirmedCall).toBe(false);
    x.clock.advance(LINK_GRACE_MS * 2);
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'answered']);
  });

  it('a call confirmed by a poll after a restart is no longer ended by a +CLIP (only an unconfirmed one is)', async () => {
    const x = tracker();
    x.t.adoptAnswered();
    expect(x.t.unconfirmedCall).toBe(true);
    const p = x.t.poll();
    await x.answer([entry(HER_UP)]);
    await p;
    expect(x.t.unconfirmedCall).toBe(false);
    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    x.t.onUrc(urc('RING'));
    expect(x.events).toEqual([]);
    expect(x.t.phase).toBe('active');
  });

  it('a hang-up check that waited while a new caller rang and was answered: the ATH must not go', async () => {
    const x = tracker();
    x.t.adoptAnswered();
    const check = x.t.checkBeforeHangUp();
    x.t.onUrc(urc('+CLIP: "+447700900456",145')); // a new caller: the adopted call ended while the link was down
    x.t.answered(); // another handler answered the new caller
    await x.answer([entry('+CLCC: 1,1,0,0,0,"+447700900456",145')]);
    expect(await check).toBe(false);
    expect(x.kinds()).toEqual(['ended:network', 'ringing:+447700900456', 'answered']);
  });
});

describe('CallTracker: a RING or +CLIP on an answered call', () => {
  it('a RING on an unconfirmed call (after a link blip) is a new caller: the old call ended by network, the new one rings', async () => {
    const x = tracker();
    x.t.adoptAnswered();
    x.t.onUrc(urc('RING'));
    expect(x.kinds()).toEqual(['ended:network']);
    x.clock.advance(300);
    await x.answer([entry(HER_RINGING)]);
    expect(x.kinds()).toEqual(['ended:network', 'ringing:+447700900123']);
  });

  it('a RING on a confirmed answered call changes nothing', () => {
    const x = answeredCall();
    x.t.onUrc(urc('RING'));
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'answered']);
    expect(x.t.phase).toBe('active');
  });

  it('an unreadable +CLIP on an unconfirmed call is not taken for a new caller', () => {
    const x = tracker();
    x.t.adoptAnswered();
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,9'));
    expect(x.events).toEqual([]);
    expect(x.t.phase).toBe('active');
  });
});

describe('CallTracker: ringing, its clock and its number', () => {
  it('+CLIP before any RING: ringing at the +CLIP time; a RING then +CLIP: at the RING time', async () => {
    const x = tracker();
    x.clock.advance(5_000);
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    expect(x.events[0]).toMatchObject({ kind: 'ringing', at: x.clock.now() });

    const y = tracker();
    y.clock.advance(5_000);
    const ringAt = y.clock.now();
    y.t.onUrc(urc('RING'));
    y.clock.advance(200);
    y.t.onUrc(urc('+CLIP: "+447700900123",145'));
    expect(y.events[0]).toMatchObject({ kind: 'ringing', at: ringAt });
  });

  it('a +CLIP repeated with each ring keeps the call ringing like a RING does (no silence check while it comes)', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    for (let i = 0; i < 3; i++) {
      x.clock.advance(9_000);
      x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    }
    await x.flush();
    expect(x.asked()).toBe(0);
  });

  it('a RING or +CLIP between unsettled silence checks starts their count again', async () => {
    for (const signal of ['RING', '+CLIP: "+447700900123",145']) {
      const x = tracker();
      x.t.onUrc(urc('+CLIP: "+447700900123",145'));
      for (let i = 0; i < 2; i++) {
        x.clock.advance(10_000);
        await x.answer('silent');
      }
      x.t.onUrc(urc(signal)); // still ringing
      x.clock.advance(10_000);
      await x.answer('silent');
      expect(x.kinds()).toEqual(['ringing:+447700900123']);
    }
  });

  it('a list from the caller id wait that comes back after that call ended and a new one rang is not taken for the new one', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300); // the first call's AT+CLCC
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('RING'));
    await x.answer([entry('+CLCC: 1,1,4,0,0,"+447700900999",145')]); // the first caller's, late
    expect(x.kinds()).toEqual(['ringing:null', 'ended:caller']);
    x.clock.advance(300);
    await x.answer([entry(HER_RINGING)]);
    expect(x.kinds()).toEqual(['ringing:null', 'ended:caller', 'ringing:+447700900123']);
  });

  it('her call listed as waiting (stat 5) during the caller id wait rings with her number, not as a missed call', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry('+CLCC: 1,1,5,0,0,"+447700900123",145')]);
    expect(x.kinds()).toEqual(['ringing:+447700900123']);
    expect(x.t.phase).toBe('ringing');
  });

  it('an outgoing call the modem lists is not her call: not taken as answered by the modem', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry('+CLCC: 2,0,0,0,0,"+447700900999",145')]);
    expect(x.kinds()).toEqual(['ringing:null', 'ended:caller']);
  });

  it('another call up and hers ringing in the same list: hers rings, it is not answered', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry('+CLCC: 2,1,0,0,0,"+447700900999",145'), entry(HER_RINGING)]);
    expect(x.kinds()).toEqual(['ringing:+447700900123']);
    expect(x.t.phase).toBe('ringing');
  });

  it('AT+CLCC saying her number is withheld: rings with none at once, no second ask, and no +CLIP identifies it later', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry('+CLCC: 1,1,4,0,0,"",128,"",,1')]);
    expect(x.kinds()).toEqual(['ringing:null']);
    x.clock.advance(300);
    await x.flush();
    expect(x.asked()).toBe(0);
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,0'));
    x.t.answered();
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,0'));
    expect(x.kinds()).toEqual(['ringing:null', 'answered']);
  });

  it(`her number asked at the RINGs at most ${IDENTIFY_LIST_LIMIT} times when the modem lists her call without one, for each call`, async () => {
    const x = tracker();
    const noNumber = [entry('+CLCC: 1,1,4,0,0')];
    for (let call = 0; call < 2; call++) {
      x.t.onUrc(urc('RING'));
      x.clock.advance(300);
      await x.answer(noNumber);
      x.clock.advance(300);
      await x.answer(noNumber); // the caller id wait's second ask
      expect(x.kinds().at(-1)).toEqual('ringing:null');
      x.args.length = 0;
      let asks = 0;
      for (let i = 0; i < IDENTIFY_LIST_LIMIT + 3; i++) {
        x.clock.advance(3_000);
        x.t.onUrc(urc('RING'));
        await x.flush();
        while (x.asked() > 0) {
          asks++;
          await x.answer(noNumber);
        }
      }
      expect(asks).toBe(IDENTIFY_LIST_LIMIT);
      // Her number alone, ahead of the SMS reads (modem-line.ts: AT+CLCC only, dropped once an ATA waits).
      expect(x.args).toEqual(Array.from({ length: IDENTIFY_LIST_LIMIT }, () => [true, true]));
      x.t.onUrc(urc('NO CARRIER'));
    }
  });

  it('after an AT+CLCC with no answer, the next RING asks once 10 s have passed, and an answered list lifts the wait', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer('silent'); // no answer: rings at once with no number
    expect(x.kinds()).toEqual(['ringing:null']);
    x.clock.advance(9_999);
    x.t.onUrc(urc('RING'));
    await x.flush();
    expect(x.asked()).toBe(0);
    x.clock.advance(1); // 10 s after the silent list
    x.t.onUrc(urc('RING'));
    await x.flush();
    expect(x.asked()).toBe(1);
    await x.answer([entry('+CLCC: 1,1,4,0,0')]); // answered, still no number
    x.clock.advance(3_000);
    x.t.onUrc(urc('RING'));
    await x.flush();
    expect(x.asked()).toBe(1); // asked again at once: the modem answers again
    await x.answer('silent'); // one silence in a row (the one before was followed by an answer)
    x.clock.advance(5_000);
    x.t.onUrc(urc('RING'));
    await x.flush();
    expect(x.asked()).toBe(0);
    x.clock.advance(5_000);
    x.t.onUrc(urc('RING'));
    await x.flush();
    expect(x.asked()).toBe(1); // 10 s after it: asked again
  });

  it('a list of the previous call that gets no answer late does not hold back the next call\'s asks', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.clock.advance(10_000); // the silence check's AT+CLCC is out (waiting[0])
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer(null, 1);
    x.clock.advance(300);
    await x.answer(null, 1); // the new call rings with no number, pending
    expect(x.kinds().at(-1)).toBe('ringing:null');
    await x.answer('silent'); // the old call's check, no answer, late
    x.clock.advance(3_000);
    x.t.onUrc(urc('RING'));
    await x.flush();
    expect(x.asked()).toBe(1);
  });

  it('a list of the previous call that got no answer does not count against the next call', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.clock.advance(10_000); // the silence check's AT+CLCC is out
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('RING'));
    await x.answer('silent'); // the old call's check, no answer
    x.clock.advance(300);
    await x.answer(null); // the new call's: refused; asked once more after another wait
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'ended:caller']);
    x.clock.advance(300);
    await x.answer([entry(HER_RINGING)]);
    expect(x.kinds().at(-1)).toBe('ringing:+447700900123');
  });

  it('a number asked at a RING of the previous call is not given to the next call', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer(null);
    x.clock.advance(300);
    await x.answer(null); // rings with no number, pending
    x.t.onUrc(urc('RING')); // asks for it
    await x.flush();
    expect(x.asked()).toBe(1);
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('RING'));
    x.t.answered(); // the next call, answered before its number came
    await x.answer([entry('+CLCC: 1,1,0,0,0,"+447700900999",145')]); // the old ask, answered late
    expect(x.kinds()).toEqual(['ringing:null', 'ended:caller', 'ringing:null', 'answered']);
  });
});

describe('CallTracker: silence checks', () => {
  it('an unsettled count does not carry over to the next call', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    for (let i = 0; i < 2; i++) {
      x.clock.advance(10_000);
      await x.answer('silent');
    }
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    x.clock.advance(10_000);
    await x.answer('silent');
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'ended:caller', 'ringing:+447700900456']);
  });

  it('a silence check the modem answered listing her call starts the unsettled count again', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    for (const answer of ['silent', 'silent', [entry(HER_RINGING)], 'silent', 'silent'] as const) {
      x.clock.advance(10_000);
      await x.answer(answer === 'silent' ? 'silent' : [...answer]);
    }
    expect(x.kinds()).toEqual(['ringing:+447700900123']);
  });

  it('a silence check listing her call as waiting (stat 5): still ringing', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.clock.advance(10_000);
    await x.answer([entry('+CLCC: 1,1,5,0,0,"+447700900123",145')]);
    expect(x.kinds()).toEqual(['ringing:+447700900123']);
    expect(x.t.phase).toBe('ringing');
  });

  it('a silence check listing only an outgoing call up: her call ended, not answered by the modem', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.clock.advance(10_000);
    await x.answer([entry('+CLCC: 2,0,0,0,0,"+447700900999",145')]);
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'ended:caller']);
  });

  it('a silence check that lists her number identifies a call that rang without one', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer('silent'); // no answer: rings at once with no number
    expect(x.kinds()).toEqual(['ringing:null']);
    x.clock.advance(10_000);
    await x.answer([entry(HER_RINGING)]);
    expect(x.kinds()).toEqual(['ringing:null', 'identified:+447700900123']);
  });

  it('a silence check answered after that call ended and the next one rang is not applied to the next one', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.clock.advance(10_000); // the silence check's AT+CLCC is out
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    await x.answer([]); // the first call's "no call", late
    expect(x.kinds()).toEqual(['ringing:+447700900123', 'ended:caller', 'ringing:+447700900456']);
  });

  it('after close() no timer asks the modem anything', async () => {
    const x = tracker();
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.close();
    x.clock.advance(60_000);
    await x.flush();
    expect(x.asked()).toBe(0);
  });
});

describe('CallTracker: nothing of one call carries over to the next', () => {
  it('the grace timer of an unconfirmed call that ended does not end the next call', async () => {
    const x = tracker();
    x.t.adoptAnswered();
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    x.t.answered();
    expect(x.t.unconfirmedCall).toBe(false);
    x.clock.advance(LINK_GRACE_MS * 2);
    expect(x.kinds()).toEqual(['ended:caller', 'ringing:+447700900456', 'answered']);
  });

  it('a call that rang with a number is not identified again because the call before it waited for one', () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.t.answered(); // number pending
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    x.t.onUrc(urc('+CLIP: "+447700900999",145'));
    expect(x.kinds()).toEqual(['ringing:null', 'answered', 'ended:caller', 'ringing:+447700900456']);
  });

  it('the caller id wait asks twice for the next call too', async () => {
    const x = tracker();
    for (const number of ['+447700900123', '+447700900456']) {
      x.t.onUrc(urc('RING'));
      x.clock.advance(300);
      await x.answer(null); // refused
      expect(x.kinds().at(-1)).not.toBe(`ringing:${number}`);
      x.clock.advance(300);
      await x.answer([entry(`+CLCC: 1,1,4,0,0,"${number}",145`)]);
      expect(x.kinds().at(-1)).toBe(`ringing:${number}`);
      x.t.onUrc(urc('NO CARRIER'));
    }
  });

  it("her call's index is learnt again for each call", async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry(HER_RINGING)]); // index 1
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('RING'));
    x.t.answered(); // number pending
    const p = x.t.poll();
    await x.answer([entry('+CLCC: 2,1,0,0,0,"+447700900456",145')]);
    await p;
    expect(x.kinds().at(-1)).toBe('identified:+447700900456');
  });

  it('her call listed with an empty number once answered: withheld, a later +CLIP does not identify it', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.t.answered(); // number pending
    const p = x.t.poll();
    await x.answer([entry('+CLCC: 1,1,0,0,0,"",128')]);
    await p;
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,0'));
    expect(x.kinds()).toEqual(['ringing:null', 'answered']);
  });
});

describe('CallTracker: what an AT+CLCC entry says of the number', () => {
  it('an empty number field: withheld, rings with none at once (no second ask)', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry('+CLCC: 1,1,4,0,0,"",129')]);
    expect(x.kinds()).toEqual(['ringing:null']);
  });

  it('no number field but validity withheld: rings with none at once (no second ask)', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry('+CLCC: 1,1,4,0,0,,,,,1')]);
    expect(x.kinds()).toEqual(['ringing:null']);
  });

  it('a number marked unavailable (validity 2) is not taken as her number', async () => {
    const x = tracker();
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.answer([entry('+CLCC: 1,1,4,0,0,"+447700900123",145,,,2')]);
    expect(x.kinds()).toEqual(['ringing:null']);
  });
});
