// The accuracy circle is drawn at 95 % confidence for every fix: an AML radius at the phone's stated confidence
// (Android: 68 %) is scaled up, so that it does not look surer than a GPS fix's 95 % circle beside it.
import { describe, expect, it } from 'vitest';
import { accuracyText, radius95 } from '../../console/accuracy.js';

describe('radius95', () => {
  it('scales an AML radius at 68 % (Android) by about 1.6, at 90 % (ETSI example) by about 1.14', () => {
    expect(radius95({ accuracyM: 50, confidencePct: 68 })).toBeCloseTo(50 * 1.6223, 1);
    expect(radius95({ accuracyM: 50, confidencePct: 90 })).toBeCloseTo(50 * 1.1406, 1);
  });

  it('leaves a GPS accuracy (no confidence: already 95 %), 95 % or more, and 0 or unknown as sent', () => {
    expect(radius95({ accuracyM: 12, confidencePct: undefined })).toBe(12);
    expect(radius95({ accuracyM: 12 })).toBe(12);
    expect(radius95({ accuracyM: 40, confidencePct: 95 })).toBe(40);
    expect(radius95({ accuracyM: 40, confidencePct: 100 })).toBe(40);
    expect(radius95({ accuracyM: 40, confidencePct: 0 })).toBe(40);
    expect(radius95({ accuracyM: null, confidencePct: 68 })).toBeNull();
  });
});

describe('accuracyText', () => {
  it('says what the phone sent beside the circle drawn', () => {
    expect(accuracyText({ accuracyM: 50, confidencePct: 68 })).toBe('±81 m (the phone said ±50 m at 68 %)');
    expect(accuracyText({ accuracyM: 12 })).toBe('±12 m');
    expect(accuracyText({ accuracyM: null })).toBe('accuracy unknown');
  });
});
