// fast-check generators shared by the property and oracle tests.
import fc from 'fast-check';
import { GSM7_DEFAULT } from '../../../protocol/sms/gsm7-alphabet.js';

const GSM_CHARS = [...GSM7_DEFAULT.filter((c) => c !== '\u001b'), '\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];

/** One character of the GSM alphabet (extension table included), optionally without some. */
export function gsmChar(exclude: readonly string[] = []): fc.Arbitrary<string> {
  return fc.constantFrom(...GSM_CHARS.filter((c) => !exclude.includes(c)));
}

/** Text in the GSM alphabet. */
export function gsmText(maxLength: number, exclude: readonly string[] = []): fc.Arbitrary<string> {
  return fc.array(gsmChar(exclude), { maxLength }).map((a) => a.join(''));
}

/** Text with at least one non-GSM character (so 'auto' picks UCS2): Cyrillic, CJK, emoji, accents. */
export function ucs2Text(maxLength: number): fc.Arbitrary<string> {
  const piece = fc.oneof(
    fc.constantFrom('ж', 'Ω', '好', 'ç', 'ü', '😀', '🚨', '👩‍👧', 'a', ' ', '1'),
    fc.string({ unit: 'binary', maxLength: 3 }),
  );
  return fc
    .tuple(fc.array(piece, { maxLength }), fc.constantFrom('ж', '😀', '好'))
    .map(([a, forced]) => a.join('') + forced);
}

/** International, national or short numbers (the latter with * and #). */
export const phoneNumber: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^\+[1-9][0-9]{6,14}$/),
  fc.stringMatching(/^0[0-9]{9,10}$/),
  fc.stringMatching(/^[*#0-9]{1,8}$/),
);

/** An instant the SCTS can carry (whole seconds, 2000..2089) and a zone. */
export const sentAt: fc.Arbitrary<{ at: number; offset: number }> = fc.record({
  at: fc.integer({ min: Date.UTC(2000, 0, 2) / 1000, max: Date.UTC(2089, 11, 30) / 1000 }).map((s) => s * 1000),
  offset: fc.integer({ min: -48, max: 56 }).map((q) => q * 15),
});
