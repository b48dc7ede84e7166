// REST bodies for incident and call actions, and the one error shape every endpoint uses. Request bodies
// are strict: an unknown key is an error, not silently dropped. Login, users and handset registration are
// in users.ts and handsets.ts.

import { z } from 'zod';
import { ForceName, Note } from './common.js';
import { IncidentOutcome } from './incidents.js';
import { HandsetCommand } from './commands.js';

/** POST /api/incidents/:id/acknowledge */
export const AcknowledgeRequest = z.strictObject({ note: Note.optional() });

/** POST /api/incidents/:id/close */
export const CloseIncidentRequest = z
  .strictObject({ outcome: IncidentOutcome, note: Note.optional(), transferredTo: ForceName.optional() })
  .refine((b) => b.outcome !== 'transferred' || b.transferredTo !== undefined, {
    message: 'transferredTo is required when the outcome is transferred',
    path: ['transferredTo'],
  });

/** POST /api/incidents/:id/locate (sends TSC1 LOCATE). */
export const LocateRequest = z.strictObject({});
/** POST /api/incidents/:id/stop-tracking (sends TSC1 STOP). */
export const StopTrackingRequest = z.strictObject({});
/** POST /api/handsets/:id/command (engineer): any TSC1 command. */
export const SendCommandRequest = z.strictObject({ command: HandsetCommand });
/** POST /api/calls/:id/answer (ATA). */
export const AnswerCallRequest = z.strictObject({});
/** POST /api/calls/:id/hangup (ATH / AT+CHUP). */
export const HangupCallRequest = z.strictObject({});

/** Error codes of the REST API. */
export const ApiErrorCode = z.enum([
  'bad-request',
  'unauthorised',
  'forbidden',
  'not-found',
  'conflict',
  'rate-limited',
  'payload-too-large',
  'unavailable',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** Every REST error: `{ error: code, message }` (+ the offending fields for bad-request). */
export const ApiError = z.object({
  error: ApiErrorCode,
  message: z.string().max(1000),
  fields: z.array(z.string().max(200)).max(50).optional(),
});

export type AcknowledgeRequest = z.infer<typeof AcknowledgeRequest>;
export type CloseIncidentRequest = z.infer<typeof CloseIncidentRequest>;
export type SendCommandRequest = z.infer<typeof SendCommandRequest>;
export type ApiError = z.infer<typeof ApiError>;
