// A new password from standard input, for the gateway's `add-user` command (gateway/core/add-user.ts).
//
// On a terminal it is typed twice with nothing echoed (raw mode: the characters are read one at a time;
// Backspace takes one back, Ctrl-C or Ctrl-D gives up) and the two must match. From a pipe or a file it is the
// first line (CR LF or LF), so a provisioning script can pass it without a command-line argument, which every
// user of the machine could read in `ps`.

/** Why no password was read: the operator gave up, the two typings differ, or the pipe had none. */
export class PasswordInputError extends Error {
  override readonly name = 'PasswordInputError';
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = '\u007f';
const CTRL_H = '\b';

/** One password typed on the terminal `input`, without echo; `write` shows the prompt. */
function typed(input: NodeJS.ReadStream, write: (text: string) => void, prompt: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    write(prompt);
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    const done = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      write('\n');
      if (err === undefined) resolve(text);
      else reject(err);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === CTRL_C || ch === CTRL_D) return done(new PasswordInputError('no password given: nothing was written'));
        if (ch === BACKSPACE || ch === CTRL_H) text = [...text].slice(0, -1).join('');
        else if (ch >= ' ') text += ch;
      }
    };
    input.on('data', onData);
  });
}

/** The first line of a non-terminal `input` (the rest is ignored). */
async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let all = '';
  for await (const chunk of input) {
    all += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const end = all.indexOf('\n');
    if (end >= 0) return all.slice(0, end).replace(/\r$/, '');
    if (all.length > 4096) break;
  }
  if (all === '' || all.length > 4096) throw new PasswordInputError('no password on standard input (give it as the first line): nothing was written');
  return all.replace(/\r$/, '');
}

/**
 * Reads the new password from `input`: twice without echo on a terminal (they must match), else the first line.
 * `write` carries the prompts (standard error, so that standard output keeps only the result).
 */
export async function readNewPassword(input: NodeJS.ReadStream, write: (text: string) => void, prompt: string): Promise<string> {
  if (input.isTTY !== true) return firstLine(input);
  const first = await typed(input, write, prompt);
  const again = await typed(input, write, 'again: ');
  if (first !== again) throw new PasswordInputError('the two passwords differ: nothing was written');
  return first;
}
