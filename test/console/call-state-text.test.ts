// The call's state in words (console/incident-view.ts callStateText), from the console's projection of the
// events (ConsoleState) and from its picture (view=1: ConsoleView, checked as the console checks it). Seen
// walking the demo as a supervisor (25 Nov): she answered a call and pressed Hang up, and the state line read
// "Call ended: hung up by a handler (answered by super)": call.ended said who (`by`), the call's view did not keep it.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConsoleState } from '../../console/console-state.js';
import { callStateText } from '../../console/incident-view.js';
import { ConsoleView } from '../../protocol/schemas/console-view.js';
import { make, resetSeq, ringing, T0 } from './events.js';

beforeEach(() => resetSeq());

/** A call ringing, answered by `answeredBy` (none: never answered), then ended as call.ended says. */
function ended(answeredBy: string | null, endedBy: 'caller' | 'handler' | 'network', by: string | null): ConsoleState {
  const s = new ConsoleState();
  s.apply(ringing('c1', 'tecsos', T0));
  if (answeredBy !== null) s.apply(make({ type: 'call.answered', callId: 'c1', lineId: 'line1', by: answeredBy }, T0 + 5000));
  s.apply(make({ type: 'call.ended', callId: 'c1', lineId: 'line1', endedBy, by, talkSeconds: answeredBy === null ? null : 30 }, T0 + 35_000));
  return s;
}

const words = (s: ConsoleState) => callStateText(s.calls.get('c1') as NonNullable<ReturnType<typeof s.calls.get>>);

describe('the call state in words', () => {
  it('names the user who hung up: the supervisor who answered, another user, a call nobody answered', () => {
    expect(words(ended('super', 'handler', 'super'))).toBe('Call ended: answered and hung up by super');
    expect(words(ended('sam', 'handler', 'super'))).toBe('Call ended: hung up by super (answered by sam)');
    expect(words(ended(null, 'handler', 'jo'))).toBe('Call ended unanswered: hung up by jo');
  });

  it('keeps the words for the caller, the network, and a hang-up the gateway cannot name', () => {
    expect(words(ended('sam', 'caller', null))).toBe('Call ended: the caller hung up (answered by sam)');
    expect(words(ended('sam', 'network', null))).toBe('Call ended: dropped by the network (answered by sam)');
    expect(words(ended(null, 'caller', null))).toBe('Call ended unanswered: the caller hung up');
    expect(words(ended('sam', 'handler', null))).toBe('Call ended: hung up by a handler (answered by sam)');
    // A `by` on a caller's or the network's end (not one the gateway writes) names nobody.
    expect(words(ended('sam', 'caller', 'sam'))).toBe('Call ended: the caller hung up (answered by sam)');
  });

  it("a console that opened with the picture (view=1) says the same as one that saw the events", () => {
    const live = ended('super', 'handler', 'super');
    const picture = ConsoleView.parse(JSON.parse(JSON.stringify(live.view())));
    expect(picture.calls[0]?.hungUpBy).toBe('super');
    const opened = new ConsoleState();
    opened.restore(picture, live.lastSeq);
    expect(words(opened)).toBe('Call ended: answered and hung up by super');
  });

  it('reads a picture from a gateway without the field (before 25 Nov) as before', () => {
    const old = ended('sam', 'handler', 'super').view();
    const { hungUpBy: _gone, ...call } = old.calls[0] as ConsoleView['calls'][number];
    const picture = ConsoleView.parse({ ...old, calls: [call] });
    const opened = new ConsoleState();
    opened.restore(picture, 3);
    expect(words(opened)).toBe('Call ended: hung up by a handler (answered by sam)');
  });
});
