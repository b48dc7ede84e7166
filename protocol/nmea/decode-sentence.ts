// Decoding one sentence given as text, off the hot path: the gateway reads the RMC and GGA sentences carried
// inside a TSR1 report this way. It returns a plain copy, or the reason the sentence was refused.
import { NmeaDecoder } from './decoder.js';
import { NmeaReject, type NmeaRejectReason } from './reject.js';
import { copySentence, type NmeaSentenceData } from './sentence.js';

/** The outcome of {@link decodeSentence}. */
export type DecodeSentenceResult =
  | { readonly ok: true; readonly sentence: NmeaSentenceData }
  | { readonly ok: false; readonly reason: NmeaRejectReason };

/**
 * Decodes exactly one sentence, "$...*hh" with or without its CR/LF. Text holding no sentence, or more than
 * one, is refused: with the reason of the first problem, or NOISE when there was no sentence or more than one.
 */
export function decodeSentence(text: string): DecodeSentenceResult {
  const bytes = new Uint8Array(text.length + 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[i] = c < 256 ? c : 0; // non-Latin-1 characters become a control byte: rejected as BINARY
  }
  bytes[text.length] = 13;
  bytes[text.length + 1] = 10;
  const d = new NmeaDecoder();
  let sentence: NmeaSentenceData | null = null;
  let reason: NmeaRejectReason | null = null;
  let count = 0;
  d.onSentence = (s) => {
    count++;
    sentence = copySentence(s);
  };
  d.onReject = (r) => {
    reason ??= r;
  };
  d.push(bytes);
  if (reason !== null) return { ok: false, reason };
  if (sentence === null || count !== 1) return { ok: false, reason: NmeaReject.NOISE };
  return { ok: true, sentence };
}
