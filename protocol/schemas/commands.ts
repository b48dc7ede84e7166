// TSC1 commands the gateway sends to a handset, and what became of them.

import { z } from 'zod';
import { Counter, Detail, HandsetId, IncidentId, LineId, Username } from './common.js';
import { eventSchema } from './envelope.js';

/** As protocol/report's HandsetCommand; INTERVAL 5..3600 s. */
export const HandsetCommand = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('STOP') }),
  z.object({ kind: z.literal('LOCATE') }),
  z.object({ kind: z.literal('INTERVAL'), seconds: z.int().min(5).max(3600) }),
]);
export type HandsetCommand = z.infer<typeof HandsetCommand>;

export const CommandSent = eventSchema('command.sent', {
  handsetId: HandsetId,
  incidentId: IncidentId.nullable(),
  /** The gateway's TSC1 counter for this handset. */
  counter: Counter,
  command: HandsetCommand,
  /** null: sent by the gateway itself (e.g. tracking timeout). */
  by: z.union([Username, z.null()]),
  lineId: LineId,
});

/** `sent`: the modem took it (+CMGS); `acknowledged`: the handset's ACK report came; `failed`/`timeout`: not. */
export const CommandResult = eventSchema('command.result', {
  handsetId: HandsetId,
  counter: Counter,
  result: z.enum(['sent', 'acknowledged', 'failed', 'timeout']),
  detail: Detail,
});

export type CommandSent = z.infer<typeof CommandSent>;
export type CommandResult = z.infer<typeof CommandResult>;
