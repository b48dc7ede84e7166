// The text of a JSON file an operator hands the gateway (the configuration file, the handset manifest), as
// editors save it: UTF-8, with or without a byte order mark (Windows Notepad writes one). The BOM is not part of
// the JSON: JSON.parse refused it as "Unexpected token '\uFEFF'", a character that prints as nothing, while the
// message's own advice (`jq . FILE`) found the file fine. Bytes that are not UTF-8 (a Latin-1 "Zoë" in a victim
// record) are refused rather than read with U+FFFD in their place and stored so. At most `maxBytes` are read:
// a device given by mistake (`--registry /dev/zero`) grew the gateway past 3.8 GB without ever starting.

import { closeSync, openSync, readSync } from 'node:fs';

export type JsonFileText =
  | { readonly ok: true; readonly text: string }
  /** `unreadable`: the file cannot be opened or read (the system's message); the others: what is wrong with it. */
  | { readonly ok: false; readonly problem: 'unreadable' | 'too-large' | 'not-utf8'; readonly message: string };

/** Reads `path` whole (up to `maxBytes`) as UTF-8 text, its BOM dropped. */
export function readJsonFileText(path: string, maxBytes: number): JsonFileText {
  const chunks: Buffer[] = [];
  let total = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { ok: false, problem: 'too-large', message: `is larger than ${maxBytes} bytes: not a file of this kind (a device, or the wrong file?)` };
    }
  } catch (e) {
    return { ok: false, problem: 'unreadable', message: (e as Error).message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  try {
    // The decoder drops a leading BOM (ignoreBOM false) and, fatal, throws on bytes that are not UTF-8.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total)) };
  } catch {
    return { ok: false, problem: 'not-utf8', message: 'is not UTF-8 text (save it as UTF-8; a byte order mark is fine)' };
  }
}

/**
 * The path (`handsets.0.key`) of the first member name given twice in one object of `text` (JSON that
 * JSON.parse accepted), or undefined. JSON.parse keeps the last silently: a manifest entry edited by hand with
 * a second `"key"` registered the handset with whichever came last, and a second `"lines"` in a config file
 * replaced the first without a word. Names are compared decoded (`"a"` and `"\u0061"` are one name).
 */
export function duplicateKey(text: string): string | undefined {
  type Frame = { readonly keys: Set<string> | undefined; expectKey: boolean; label: string };
  const frames: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = frames[frames.length - 1];
    if (c === '{') frames.push({ keys: new Set(), expectKey: true, label: '' });
    else if (c === '[') frames.push({ keys: undefined, expectKey: false, label: '0' });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',' && top !== undefined) {
      if (top.keys === undefined) top.label = String(Number(top.label) + 1);
      else top.expectKey = true;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.keys !== undefined && top.expectKey) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(name)) return [...frames.slice(0, -1).map((f) => f.label), name].join('.');
        top.keys.add(name);
        top.label = name;
        top.expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}
