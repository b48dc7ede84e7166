// Request bodies and query strings of the simulator's control API, as zod schemas: anything else is a 400
// with the field named, never an exception reaching the simulation.

import { z } from 'zod';
import { HandsetId } from '../../protocol/schemas/common.js';
import { NetworkFaults, RouteSpecSchema } from '../sim/config.js';

/** `POST /api/handsets/:id/button`: `{"gesture":"hold"}` (an alarm) or `{"gesture":"tap"}`. */
export const ButtonBody = z.strictObject({ gesture: z.enum(['hold', 'tap']) });

/**
 * `POST /api/handsets/:id/route`: a route as in scenario files (`{"waypoints":[...],"fixLoss":[...]}`), starting
 * now; `{"route":{...}}` (the scenario step's field) is accepted too, and so is the list of waypoints alone
 * (`[{"lat":..,"lon":..,"speedMps":..}, ...]` or `{"route":[...]}`).
 */
function routeOf(b: unknown): unknown {
  const inner = typeof b === 'object' && b !== null && !Array.isArray(b) && Object.keys(b).length === 1 && 'route' in b ? (b as { route: unknown }).route : b;
  return Array.isArray(inner) ? { waypoints: inner } : inner;
}
export const RouteBody = z.preprocess(routeOf, RouteSpecSchema);

/** `POST /api/handsets/:id/coverage`: `{"inCoverage":false}` puts the handset in a coverage hole. */
export const CoverageBody = z.strictObject({ inCoverage: z.boolean() });

/**
 * `POST /api/network/faults`: SMS delay, reordering (`reorder` or `reorderMs`: a random extra delay up to that
 * many ms), loss and duplication probabilities; `down` takes the whole network down. At least one field.
 */
export const NetworkFaultsBody = NetworkFaults.extend({ down: z.boolean().optional() }).refine(
  (b) => Object.keys(b).length > 0,
  'give at least one of delayMs, reorder, loss, duplication, down',
);

/** `POST /api/lines/:line/fault`: reboot the bank modem, make it stop answering, or drop its TCP link. */
export const LineFaultBody = z.discriminatedUnion('fault', [
  z.strictObject({ fault: z.literal('reboot') }),
  z.strictObject({ fault: z.literal('hang'), durationMs: z.int().min(1).max(86_400_000).optional() }),
  z.strictObject({ fault: z.literal('drop') }),
]);

export const HandsetParams = z.strictObject({ id: HandsetId });
export const LineParams = z.strictObject({ line: z.coerce.number().int().min(1).max(64) });

/** `GET /api/events?since=<seq>&handset=<id>&limit=<n>`. */
export const EventsQuery = z.strictObject({
  since: z.coerce.number().int().min(0).default(0),
  handset: HandsetId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
