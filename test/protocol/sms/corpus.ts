// Reads the PDUs real AT clients exchanged with a logging stand-in modem (../shared/corpus/at, read-only;
// provenance in its README.md): the SUBMITs gammu and smsd sent after AT+CMGS=<n>, and the +CMT the
// stand-in injected into `gammu monitor`.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(import.meta.dirname, '../../../../shared/corpus/at');

/** One AT+CMGS=<n> and the PDU that followed it. */
export interface CorpusSubmit {
  readonly file: string;
  readonly announced: number;
  readonly pdu: string;
}

export function corpusSubmits(): CorpusSubmit[] {
  const out: CorpusSubmit[] = [];
  for (const file of ['gammu-sendsms.txt', 'smsd-modem.txt']) {
    const lines = readFileSync(path.join(DIR, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = /^ PDU '([0-9A-F]+)<CTRL-Z>'$/.exec(line);
      const cmd = /AT\+CMGS=(\d+)/.exec(lines[i - 1] ?? '');
      if (m && cmd) out.push({ file, announced: Number(cmd[1]), pdu: m[1]! });
    });
  }
  return out;
}

/** The +CMT: ,<n> header's length and the PDU line the stand-in injected. */
export function corpusCmt(): { announced: number; pdu: string } {
  const text = readFileSync(path.join(DIR, 'gammu-monitor.txt'), 'utf8');
  const m = /\+CMT: ,(\d+)\\r\\n([0-9A-F]+)\\r\\n/.exec(text);
  if (!m) throw new Error('no +CMT in gammu-monitor.txt');
  return { announced: Number(m[1]), pdu: m[2]! };
}
