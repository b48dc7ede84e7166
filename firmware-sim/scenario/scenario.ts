// Scenario files: a scripted run of the simulation for demos and training, replayed exactly (the simulation's
// seeded clock and random source). Times are seconds after the scenario starts:
//
//   { "name": "demo-walk",
//     "description": "A victim walks through central Leeds and raises an alarm after 20 s.",
//     "steps": [
//       { "atS": 0,   "action": "route",    "handset": "TS-0001", "route": { "waypoints": [ ... ] } },
//       { "atS": 20,  "action": "button",   "handset": "TS-0001", "gesture": "hold" },
//       { "atS": 90,  "action": "network",  "faults": { "delayMs": 3000, "loss": 0.05 } },
//       { "atS": 120, "action": "coverage", "handset": "TS-0001", "inCoverage": false },
//       { "atS": 150, "action": "line",     "line": 1, "fault": "reboot" } ] }
//
// Actions: route (she starts walking a new route), button (hold | tap), coverage (in or out of a coverage
// hole), network (SMS faults; "down": true|false for the whole network), line (reboot | hang [durationMs] |
// drop a bank modem). Steps at the same time run in file order.

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HandsetId } from '../../protocol/schemas/common.js';
import { NetworkFaults, RouteSpecSchema } from '../sim/config.js';

const AtS = z.number().min(0).max(7 * 86_400);

export const ScenarioStep = z.discriminatedUnion('action', [
  z.strictObject({ atS: AtS, action: z.literal('route'), handset: HandsetId, route: RouteSpecSchema }),
  z.strictObject({ atS: AtS, action: z.literal('button'), handset: HandsetId, gesture: z.enum(['hold', 'tap']) }),
  z.strictObject({ atS: AtS, action: z.literal('coverage'), handset: HandsetId, inCoverage: z.boolean() }),
  z.strictObject({ atS: AtS, action: z.literal('network'), faults: NetworkFaults.extend({ down: z.boolean().optional() }) }),
  z.strictObject({
    atS: AtS,
    action: z.literal('line'),
    line: z.int().min(1).max(64),
    fault: z.enum(['reboot', 'hang', 'drop']),
    durationMs: z.int().min(1).max(86_400_000).optional(),
  }),
]);
export type ScenarioStep = z.infer<typeof ScenarioStep>;

export const Scenario = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().max(2000).default(''),
  steps: z.array(ScenarioStep).max(100_000),
});
export type Scenario = z.infer<typeof Scenario>;

/** Thrown for a scenario file a person must fix; the message names the file, step and field. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** Validates parsed scenario JSON. */
export function parseScenario(json: unknown, source = 'scenario'): Scenario {
  const r = Scenario.safeParse(json);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`);
  throw new ScenarioError(`invalid scenario ${source}:\n${lines.join('\n')}`);
}

/** Reads and validates a scenario file. */
export function loadScenario(path: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ScenarioError(`cannot read scenario ${path}: ${(e as Error).message}`);
  }
  return parseScenario(json, path);
}
