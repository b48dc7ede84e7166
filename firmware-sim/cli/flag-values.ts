// `--flag=value` on the simulator's command lines is the same as `--flag value` (shells, service files and
// package scripts often write it that way); a value may itself contain `=` (only the first one splits).

/** Returns argv with every `--flag=value` split into `--flag`, `value`; everything else unchanged. */
export function splitFlagValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of argv) {
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 2) out.push(a.slice(0, eq), a.slice(eq + 1));
    else out.push(a);
  }
  return out;
}
