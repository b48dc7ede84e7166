// The text of a JSON file an operator hands the gateway (the configuration file, the handset manifest), as
// editors save it: UTF-8, with or without a byte order mark (Windows Notepad writes one). The BOM is not part of
// the JSON: JSON.parse refused it as "Unexpected token '\uFEFF'", a character that prints as nothing, while the
// message's own advice (`jq . FILE`) found the file fine. Bytes that are not UTF-8 (a Latin-1 "Zoë" in a victim
// record) are refused rather than read with U+FFFD in their place and stored so.

/** The file's text, its UTF-8 BOM dropped; undefined when the bytes are not UTF-8. */
export function jsonFileText(bytes: Uint8Array): string | undefined {
  try {
    // The decoder drops a leading BOM (ignoreBOM false) and, fatal, throws on bytes that are not UTF-8.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** What to say about a file that is not UTF-8. */
export const NOT_UTF8 = 'is not UTF-8 text (save it as UTF-8; a byte order mark is fine)';
