// `--flag=value` on the simulator's command lines is the same as `--flag value` (shells, service files and
// package scripts often write it that way); a value may itself contain `=` (only the first one splits).
// Only a flag is split: the word after a flag that takes a value is that value, whole, as it was before this
// form existed (`--registry-out --out=x.json` is the path "--out=x.json", not a flag "--out").

/**
 * Returns argv with every `--flag=value` split into `--flag`, `value`; everything else unchanged. `switches`
 * are the flags that take no value (`--interactive`): the word after any other `--flag` is its value.
 */
export function splitFlagValues(argv: readonly string[], switches: readonly string[] = []): string[] {
  const out: string[] = [];
  let isValue = false;
  for (const a of argv) {
    const eq = !isValue && a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 2) {
      out.push(a.slice(0, eq), a.slice(eq + 1));
      isValue = false;
    } else {
      out.push(a);
      isValue = !isValue && a.startsWith('--') && !switches.includes(a);
    }
  }
  return out;
}
