// Display formatting shared by the views: durations, speeds, signal, times, outcomes. Pure (tested in node).
import type { HandsetHealth, IncidentOutcome, ReportRejectReason } from '../protocol/schemas/index.js';

/** `m:ss` under an hour, `h:mm:ss` above; negative (clock skew) shows as 0:00. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Knots to `12 mph (19 km/h)`; UK officers think in mph. */
export function speed(knots: number | null): string {
  if (knots === null) return 'speed unknown';
  const kmh = knots * 1.852;
  return `${Math.round(kmh / 1.609344)} mph (${Math.round(kmh)} km/h)`;
}

/** AT+CSQ RSSI as bars out of 5 and dBm (27.007: -113 + 2n dBm); 99 = unknown. */
export function signal(csq: number | null): string {
  if (csq === null || csq === 99) return 'signal unknown';
  const bars = csq >= 20 ? 5 : csq >= 15 ? 4 : csq >= 10 ? 3 : csq >= 5 ? 2 : csq >= 1 ? 1 : 0;
  return `${bars}/5 (${-113 + 2 * csq} dBm)`;
}

/** HH:MM:SS in the browser's local time zone, with the date in front when it is not today. */
export function timeOfDay(iso: string, nowMs = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '?';
  const time = d.toLocaleTimeString('en-GB', { hour12: false });
  return d.toDateString() === new Date(nowMs).toDateString() ? time : `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}

/** Seconds from an ISO time to `nowMs`. */
export function ageSeconds(iso: string, nowMs: number): number {
  return (nowMs - Date.parse(iso)) / 1000;
}

/** Initial bearing in degrees (0 = north) from one position to the next. */
export function bearing(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const y = Math.sin((lon2 - lon1) * r) * Math.cos(lat2 * r);
  const x = Math.cos(lat1 * r) * Math.sin(lat2 * r) - Math.sin(lat1 * r) * Math.cos(lat2 * r) * Math.cos((lon2 - lon1) * r);
  return ((Math.atan2(y, x) / r) + 360) % 360;
}

/** `1:05 ago (07:02:21)`: how long ago an instant was, and when. */
export function sinceText(iso: string, nowMs: number): string {
  return `${clock(ageSeconds(iso, nowMs))} ago (${timeOfDay(iso, nowMs)})`;
}

/**
 * An incident's outcome in the handler's words, as the close dialog offers them (index.html): the state line
 * read "Incident closed: officers-attended", the wire code.
 */
export const OUTCOME_TEXT: Readonly<Record<IncidentOutcome, string>> = {
  'officers-attended': 'officers attended',
  'resolved-by-phone': 'resolved by phone',
  transferred: 'transferred to another force',
  'false-alarm': 'false alarm',
  'accidental-activation': 'accidental activation',
  test: 'test',
  'no-trace': 'no trace',
  other: 'other',
};

/**
 * The outcome in words, with the force for a transfer ("transferred to North Yorkshire Police"): the console
 * said "transferred to another force" and nowhere which, though the close dialog asks for it and the gateway
 * stores it (incident.closed `transferredTo`).
 */
export function outcomeText(outcome: IncidentOutcome, transferredTo?: string): string {
  if (outcome === 'transferred' && transferredTo !== undefined && transferredTo !== '') return `transferred to ${transferredTo}`;
  return OUTCOME_TEXT[outcome] ?? outcome;
}

/**
 * Why the gateway refused a report, in the supervisor's words (the overview's refused reports): the row showed the
 * gateway's code ("bad-mac", "sender-mismatch", "unknown-sender").
 */
export const REJECT_TEXT: Readonly<Record<ReportRejectReason, string>> = {
  'wrong-version': 'a report version the gateway does not know',
  truncated: 'cut short',
  'too-long': 'too long',
  'not-gsm7': 'characters no handset sends',
  'bad-field': 'a field that does not read',
  'absurd-value': 'an impossible figure (position, time or battery)',
  'bad-mac': "signature wrong (forged, or the handset's key changed)",
  duplicate: 'a copy of a report already received',
  replay: 'an old report sent again (its counter was used before)',
  'too-old': 'too old',
  'unknown-handset': 'names no registered handset',
  'sender-mismatch': "sent from a number other than the handset's",
  incomplete: 'parts of a long SMS never arrived',
  'unknown-sender': 'not a TecSOS report, from a number with no call in progress',
  'bad-aml': 'an emergency location SMS (AML) that does not read',
};

/** A handset's problem in words (the overview's handset health): the row showed "missed-heartbeat". */
export const PROBLEM_TEXT: Readonly<Record<HandsetHealth['problem'], string>> = {
  'missed-heartbeat': 'missed heartbeat',
  'low-battery': 'low battery',
  tamper: 'tamper',
  recovered: 'recovered',
};

/**
 * A modem line's detail with its retry counted down: the gateway writes `retry in 4000 ms` once, when the line
 * goes down (gateway/lines/modem-line.ts), and the console showed that figure unchanged for as long as the row
 * stood. `atIso` is the event's time: the retry is due then plus the delay; after it, "retrying".
 */
export function lineDetailText(detail: string, atIso: string, nowMs: number): string {
  return detail.replace(/\bretry in (\d+) ms\b/, (_m, ms: string) => {
    const dueMs = Date.parse(atIso) + Number(ms);
    if (Number.isNaN(dueMs)) return `retry after ${clock(Number(ms) / 1000)}`;
    const left = (dueMs - nowMs) / 1000;
    return left > 0 ? `retry in ${clock(Math.ceil(left))}` : 'retrying';
  });
}
