// A fix's accuracy circle, always at 95 % confidence. A GPS fix's `accuracyM` is a 95 % estimate (HDOP x the
// gateway's 95 % range error, gateway/reports/gps-fix.ts). An AML radius comes at the confidence the phone
// states (`lc`: Android sends 68 %, ETSI's example 90 %): drawn as it is beside a GPS circle, a 68 % circle
// looks about 1.6 times surer than it is, and a third of callers are outside it.
//
// For a circular normal error, the radius holding a share p of positions is sigma * sqrt(-2 ln(1 - p)), so a
// radius r at confidence c becomes r * sqrt(ln(0.05) / ln(1 - c)) at 95 %. A confidence at or above 95 % is
// drawn as given (never shrunk); none, or 0, leaves the radius as sent.
import type { TrackPoint } from '../protocol/schemas/index.js';

/** The circle's radius at 95 % confidence (metres), or null when the fix has no accuracy. */
export function radius95(p: Pick<TrackPoint, 'accuracyM' | 'confidencePct'>): number | null {
  if (p.accuracyM === null) return null;
  const c = p.confidencePct;
  if (c === undefined || !(c > 0 && c < 95)) return p.accuracyM;
  return p.accuracyM * Math.sqrt(Math.log(0.05) / Math.log(1 - c / 100));
}

/** The accuracy in words: `±81 m (the phone said ±50 m at 68 %)` for a rescaled AML radius, else `±12 m`. */
export function accuracyText(p: Pick<TrackPoint, 'accuracyM' | 'confidencePct'>): string {
  const r = radius95(p);
  if (r === null || p.accuracyM === null) return 'accuracy unknown';
  const shown = `±${Math.round(r)} m`;
  return Math.round(r) === Math.round(p.accuracyM) ? shown : `${shown} (the phone said ±${Math.round(p.accuracyM)} m at ${p.confidencePct as number} %)`;
}
