// A command's outcome in words, for health details, action results and logs:
//   final       -> the final line as the modem sent it ("+CMS ERROR: 331", "NO CARRIER", "OK")
//   timeout     -> "no answer (timeout waiting for the answer)"
//   closed etc. -> "closed: engine closed"

import type { AtResult } from '../../protocol/at/index.js';

/** Describes a failed command for a person. */
export function describeResult(r: AtResult): string {
  switch (r.status) {
    case 'final':
      return r.final.line;
    case 'timeout':
      return `no answer (timeout waiting for the ${r.phase})`;
    case 'cancelled':
    case 'closed':
    case 'transport-error':
    case 'rejected':
      return `${r.status}: ${r.reason}`;
    default: {
      const never: never = r;
      return never;
    }
  }
}
