// The line's registration from +CREG, +CGREG and +CEREG (gateway/lines/registration.ts), on answers real modems give.
import { describe, expect, it } from 'vitest';
import { parseCereg, parseCgreg, parseCreg, type Registration } from '../../../protocol/at/index.js';
import { lineRegistration } from '../../../gateway/lines/registration.js';

const read = (p: { ok: boolean; value?: Registration }): Registration => {
  if (!p.ok || p.value === undefined) throw new Error('not parsed');
  return p.value;
};

describe('lineRegistration', () => {
  it('circuit-switched registered: that domain, in the words the line always used', () => {
    expect(lineRegistration(read(parseCreg('+CREG: 2,1,"1A2B","00C3"')), undefined, undefined)).toEqual({ stat: 1, domain: 'cs', words: 'registration registered-home' });
    // +CREG 6 (SMS only) stays registered, as before
    expect(lineRegistration(read(parseCreg('+CREG: 0,6')), undefined, undefined)?.domain).toBe('cs');
  });

  it('+CREG 0/2/4 with +CEREG 1 or 5: registered on LTE only, and the words say calls need VoLTE', () => {
    const cs = read(parseCreg('+CREG: 0,4'));
    const r = lineRegistration(cs, read(parseCgreg('+CGREG: 0,1')), read(parseCereg('+CEREG: 2,5, 1F00, 79D903 ,7')));
    expect(r).toEqual({
      stat: 5,
      domain: 'eps',
      words: 'registration registered-roaming on LTE only (circuit-switched unknown): calls reach this line only by VoLTE',
    });
  });

  it('+CGREG alone: packet data only, no calls', () => {
    const r = lineRegistration(read(parseCreg('+CREG: 2,2')), read(parseCgreg('+CGREG: 2, 1, "0426", "F00F"')), undefined);
    expect(r).toMatchObject({ stat: 1, domain: 'ps', words: expect.stringMatching(/for packet data only \(circuit-switched searching\): no calls/) });
  });

  it('+CEREG 8 (emergency bearer only) or the "not applicable" 6, 7, 9, 10 do not register the line; nothing read: undefined', () => {
    const cs = read(parseCreg('+CREG: 0,0'));
    for (const stat of [0, 2, 3, 4, 6, 7, 8, 9, 10]) expect(lineRegistration(cs, read(parseCgreg(`+CGREG: 0,${stat}`)), read(parseCereg(`+CEREG: 0,${stat}`)))).toBeUndefined();
    expect(lineRegistration(undefined, undefined, undefined)).toBeUndefined();
    expect(lineRegistration(undefined, undefined, read(parseCereg('+CEREG: 0,1')))?.words).toMatch(/circuit-switched unknown/);
  });
});
