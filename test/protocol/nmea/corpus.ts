// Shared helpers for the NMEA tests: the gpsd regression captures (read-only, ../shared/corpus/nmea/gpsd
// relative to the repository root) and gpsd's own decoding of them (the `.chk` files).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { copySentence, NmeaDecoder, type NmeaSentenceData } from '../../../protocol/nmea/index.js';

export const CORPUS_DIR = path.resolve(import.meta.dirname, '../../../../shared/corpus/nmea/gpsd');

/** Every capture of the corpus, by file name (e.g. 'neo-m8n.log'). */
export const LOGS: readonly string[] = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.log'))
  .sort();

export const readLog = (name: string): Buffer => readFileSync(path.join(CORPUS_DIR, name));

export const hasChk = (name: string): boolean => existsSync(path.join(CORPUS_DIR, `${name}.chk`));

/** A gpsd TPV report (only the fields compared here). */
export interface Tpv {
  lat?: number;
  lon?: number;
  time?: string;
  mode?: number;
}

/** The TPV reports of gpsd's `.chk` output for a log. */
export function readTpvs(name: string): Tpv[] {
  const text = readFileSync(path.join(CORPUS_DIR, `${name}.chk`), 'latin1');
  const out: Tpv[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{"class":"TPV"')) continue;
    out.push(JSON.parse(line) as Tpv);
  }
  return out;
}

/** Decodes bytes in chunks of `chunk` bytes (Infinity: one push) and returns copies of every sentence. */
export function decodeAll(bytes: Uint8Array, chunk = Infinity): { sentences: NmeaSentenceData[]; decoder: NmeaDecoder } {
  const decoder = new NmeaDecoder();
  const sentences: NmeaSentenceData[] = [];
  decoder.onSentence = (s) => sentences.push(copySentence(s));
  if (chunk === Infinity) decoder.push(bytes);
  else for (let i = 0; i < bytes.length; i += chunk) decoder.push(bytes, i, Math.min(bytes.length, i + chunk));
  return { sentences, decoder };
}

/** The lines of a capture that look like sentences (`$...`), without CR/LF, as Latin-1 strings. */
export function sentenceLines(bytes: Buffer): string[] {
  return bytes
    .toString('latin1')
    .split(/\r\n|\r|\n/)
    .filter((l) => l.startsWith('$'));
}
