// Building blocks shared by every message schema: identifiers, times, coordinates. Every number that comes
// from outside has bounds and every string a maximum length, so a hostile or broken peer cannot push
// nonsense (latitude 95, a 10 MB name) past the boundary.

import { z } from 'zod';

/** Schema version carried in every WebSocket message as `v`. */
export const SCHEMA_VERSION = 1;

/** An instant, ISO 8601 in UTC with `Z` (e.g. `2026-11-23T06:14:00.000Z`). */
export const Timestamp = z.iso.datetime();

/** Position in the gateway's event log: 1, 2, 3, ... with no gaps. */
export const Seq = z.int().min(1);

/** Handset id, as in TSR1 `h=`: 1..16 of A-Z 0-9 `-`, starting with a letter or digit. */
export const HandsetId = z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,15}$/);
/** TSR1/TSC1 counter: 0 .. 2^32-1. */
export const Counter = z.int().min(0).max(0xffff_ffff);

/** Ids minted by the gateway (incidents, calls): short URL-safe strings. */
const GatewayId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const IncidentId = GatewayId;
export const CallId = GatewayId;

/** A modem line's configured name, e.g. `line1`. */
export const LineId = z.string().regex(/^[A-Za-z0-9_.:-]{1,32}$/);

/** A phone number as the gateway normalised it: E.164 (`+447700900123`) or, failing that, digits. */
export const PhoneNumber = z.string().regex(/^\+?[0-9]{2,20}$/);

/** A user's login name. */
export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/);

/** A police force (owner of a handset, a TecSOS number range, a line). */
export const ForceName = z.string().min(1).max(64);

export const Latitude = z.number().min(-90).max(90);
export const Longitude = z.number().min(-180).max(180);

/** Battery percent. */
export const BatteryPct = z.int().min(0).max(100);
/** AT+CSQ RSSI: 0..31, 99 = not known. */
export const Csq = z.union([z.int().min(0).max(31), z.literal(99)]);

/** Free text typed by a person (notes). */
export const Note = z.string().max(2000);
/** A short machine-written explanation (log-style detail). */
export const Detail = z.string().max(500);

/** TSR1 report events. */
export const ReportEventCode = z.enum(['ALM', 'TRK', 'HBT', 'LOB', 'TST', 'BOT', 'TMP', 'ACK']);
export type ReportEventCode = z.infer<typeof ReportEventCode>;

/**
 * A REST body (or a manifest entry, which is one) may name the schema version it was written to, `"v": 1`: the
 * body without it, to check against its schema; `ok: false` for any other version (refused by name, not read as
 * if it were this one). Anything that is not an object with a `v` comes back as it is.
 */
export function withoutBodyVersion(body: unknown): { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly v: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Object.hasOwn(body, 'v')) return { ok: true, body };
  const { v, ...rest } = body as Record<string, unknown>;
  return v === SCHEMA_VERSION ? { ok: true, body: rest } : { ok: false, v };
}
