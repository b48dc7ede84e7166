// Canonical JSON for hashing (the audit chain): object keys sorted by UTF-16 code units at every level, no
// white space, numbers and strings as ECMAScript's JSON.stringify writes them (which is what RFC 8785, JCS,
// specifies for both). The same value always gives the same text, so a hash over it can be recomputed from the
// stored entry years later. Values JSON cannot carry faithfully (NaN, Infinity, BigInt, functions, symbols)
// are refused rather than silently changed.

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return canonicalJson(withToJson.toJSON());
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const record = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const v = record[key];
        if (v !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} cannot be stored`);
  }
}
