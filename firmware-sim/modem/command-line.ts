// Splits one AT command line (V.250 5.2, 27.007 4.0) into its commands. The line arrives without "AT" and
// without the terminating CR:
//
//   "+CMEE=1;+CREG=2"     -> +CMEE set ["1"], +CREG set ["2"]        (smsd chains commands with ';')
//   "E1V1"                -> E exec "1", V exec "1"                  (basic commands run together)
//   "D+447700900456;"     -> D with the rest of the line as its dial string (';' = voice)
//   "+CPMS=\"SM\",\"SM\"" -> +CPMS set ["SM", "SM"] (quotes removed, commas inside quotes kept)
//   "+CHUP=?"             -> +CHUP test        "+CREG?" -> +CREG read        "&F" -> &F exec
//   "S0=2" / "S0?"        -> S0 set ["2"] / S0 read
// Extended names start with one of + $ % ^ * # and run to '=', '?', ';' or the end of the line.

/** How an extended command was written. */
export type CommandForm = 'exec' | 'read' | 'test' | 'set';

/** One command of a line. */
export interface ParsedCommand {
  /** Upper-case name: "+CMGS", "$TSSPCSW", "E", "&F", "S0", "D", "I". */
  readonly name: string;
  readonly form: CommandForm;
  /** Arguments of a set form, quotes removed; for a basic command its number ("" when none); for D the dial string. */
  readonly args: readonly string[];
  /** Which arguments were quoted (a quoted empty string differs from an omitted argument). */
  readonly quoted: readonly boolean[];
  /** The command as written, for the transcript and error messages. */
  readonly text: string;
}

/** A line that could not be split (unterminated quote, stray character). */
export interface CommandLineError {
  readonly error: string;
}

const EXTENDED_PREFIX = '+$%^*#';

/** Splits the part of a command line after "AT". */
export function parseCommandLine(body: string): ParsedCommand[] | CommandLineError {
  const out: ParsedCommand[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (c === ';' || c === ' ') {
      i++;
      continue;
    }
    const start = i;
    if (EXTENDED_PREFIX.includes(c)) {
      i++;
      while (i < body.length && /[A-Za-z0-9_.!%\-]/.test(body[i] as string)) i++;
      const name = body.slice(start, i).toUpperCase();
      if (name.length < 2) return { error: `empty command name at ${start}` };
      let form: CommandForm = 'exec';
      let args: string[] = [];
      let quoted: boolean[] = [];
      if (body.startsWith('=?', i)) {
        form = 'test';
        i += 2;
      } else if (body[i] === '?') {
        form = 'read';
        i++;
      } else if (body[i] === '=') {
        form = 'set';
        i++;
        const split = splitArgs(body, i);
        if ('error' in split) return split;
        ({ args, quoted } = split);
        i = split.end;
      }
      out.push({ name, form, args, quoted, text: body.slice(start, i) });
      continue;
    }
    const upper = c.toUpperCase();
    if (upper === 'D') {
      out.push({ name: 'D', form: 'exec', args: [body.slice(i + 1)], quoted: [false], text: body.slice(i) });
      break;
    }
    if (upper === 'S' && /[0-9]/.test(body[i + 1] ?? '')) {
      i++;
      while (i < body.length && /[0-9]/.test(body[i] as string)) i++;
      const name = `S${Number(body.slice(start + 1, i))}`;
      if (body[i] === '?') {
        i++;
        out.push({ name, form: 'read', args: [], quoted: [], text: body.slice(start, i) });
      } else if (body[i] === '=') {
        i++;
        const v = /^[0-9]*/.exec(body.slice(i))?.[0] ?? '';
        i += v.length;
        out.push({ name, form: 'set', args: [v], quoted: [false], text: body.slice(start, i) });
      } else {
        return { error: `S-register ${name} needs '?' or '='` };
      }
      continue;
    }
    let name: string;
    if (upper === '&') {
      if (!/[A-Za-z]/.test(body[i + 1] ?? '')) return { error: `bad '&' command at ${i}` };
      name = `&${(body[i + 1] as string).toUpperCase()}`;
      i += 2;
    } else if (/[A-Z]/.test(upper)) {
      name = upper;
      i++;
    } else {
      return { error: `unexpected ${JSON.stringify(c)} at ${i}` };
    }
    const num = /^[0-9]*/.exec(body.slice(i))?.[0] ?? '';
    i += num.length;
    if (body[i] === '?') {
      i++;
      out.push({ name, form: 'read', args: [], quoted: [], text: body.slice(start, i) });
      continue;
    }
    out.push({ name, form: 'exec', args: [num], quoted: [false], text: body.slice(start, i) });
  }
  return out;
}

function splitArgs(
  body: string,
  from: number,
): { args: string[]; quoted: boolean[]; end: number } | CommandLineError {
  const args: string[] = [];
  const quoted: boolean[] = [];
  let cur = '';
  let q = false;
  let wasQuoted = false;
  let i = from;
  for (; i < body.length; i++) {
    const c = body[i] as string;
    if (q) {
      if (c === '"') q = false;
      else cur += c;
      continue;
    }
    if (c === '"') {
      q = true;
      wasQuoted = true;
    } else if (c === ',') {
      args.push(wasQuoted ? cur : cur.trim());
      quoted.push(wasQuoted);
      cur = '';
      wasQuoted = false;
    } else if (c === ';') {
      break;
    } else {
      cur += c;
    }
  }
  if (q) return { error: 'unterminated string' };
  args.push(wasQuoted ? cur : cur.trim());
  quoted.push(wasQuoted);
  return { args, quoted, end: i };
}
