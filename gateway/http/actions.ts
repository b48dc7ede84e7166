// What the HTTP edge asks of the rest of the gateway: the contract that gateway/lines, calls, reports and the
// projections implement together. The edge checks the session, the role and the body, writes the audit entry
// for reads of a victim's data, then calls one method here; it never touches a modem or the log itself.
//
// Commands (acknowledge, close, locate, answer, ...) resolve once the request is recorded as an event (the
// seq is returned); what happened next (ATA answered, the handset acknowledged a STOP) arrives as further
// events on the WebSocket. A command that cannot be done answers with a named error, never throws for a
// foreseeable reason (unknown id, already closed, no free line).
import type { HandsetRegisterRequest, HandsetView as HandsetViewSchema } from '../../protocol/schemas/handsets.js';
import type { HandsetCommand } from '../../protocol/schemas/commands.js';
import type { AcknowledgeRequest, CloseIncidentRequest } from '../../protocol/schemas/rest.js';
import type { Role } from '../auth/roles.js';

/** Who asked: recorded in the event the command produces. */
export type Actor = { readonly username: string; readonly role: Role };

/** Why a command was not done (HTTP status in docs/api.md and routes/command-result.ts). */
export const ACTION_ERRORS = {
  /** No incident, call or handset with that id. 404. */
  notFound: 'not_found',
  /** Not possible in the current state (incident already closed, call already ended, handset id taken). 409. */
  conflict: 'conflict',
  /** Not possible now for want of a resource (no free line to send a TSC1, modem down). 503. */
  unavailable: 'unavailable',
} as const;

export type ActionError = (typeof ACTION_ERRORS)[keyof typeof ACTION_ERRORS];

/** The answer to a command. `seq` is the event that recorded it. */
export type ActionResult<T = Record<never, never>> =
  | ({ readonly ok: true; readonly seq: number } & T)
  | { readonly ok: false; readonly error: ActionError; readonly message: string };

/** An incident as the projections hold it (shape defined by protocol/schemas; `id` is all the edge relies on). */
export type IncidentView = { readonly id: string; readonly [field: string]: unknown };

/** A call as the projections hold it. */
export type CallView = { readonly id: string; readonly [field: string]: unknown };

/** A registered handset, technical data only (no victim data: engineers see it). Never the key. */
export type HandsetView = HandsetViewSchema;

/** A handset's health as engineers see it (missed heartbeat, low battery, last report). */
export type HandsetHealth = { readonly id: string; readonly [field: string]: unknown };

/**
 * Which incidents to list: listIncidents answers, newest first (by the time each opened; equal times in log order):
 * those in `state`, after the incident `before` in that order when given (none when it names no incident), at
 * most `limit` of them (all without).
 */
export type IncidentFilter = {
  readonly state: 'open' | 'closed' | 'all';
  readonly limit?: number;
  readonly before?: string;
};

/** protocol/schemas bodies, re-exported for the implementers. */
export type { AcknowledgeRequest, CloseIncidentRequest, HandsetCommand };

/** One fix of a track, oldest first in {@link Track}. */
export type TrackPoint = {
  /** Time of the fix (the GPS time), ISO 8601 or ms since the epoch. */
  readonly at: string | number;
  readonly latitude: number;
  readonly longitude: number;
  /** 95 % radius in metres (from HDOP or the AML radius). */
  readonly accuracyM?: number;
  readonly altitudeM?: number;
  readonly speedKmh?: number;
  readonly courseDeg?: number;
  /** Where the fix came from (`gps`, `aml`, ...). */
  readonly source?: string;
  /** Whether the GPS called it a fix (`invalid`: RMC status V, a last-known position); null for AML. */
  readonly gpsStatus?: 'valid' | 'invalid' | null;
};

export type Track = { readonly incidentId: string; readonly handsetId?: string; readonly points: readonly TrackPoint[] };

/**
 * What an engineer submits to register a handset (protocol/schemas HandsetRegisterRequest, with the victim's
 * record), the key decoded from hex/base64 to its 32 bytes.
 */
export type HandsetRegistration = Omit<HandsetRegisterRequest, 'key'> & { readonly key: Uint8Array };

/** Line and store state for /healthz. */
export type GatewayHealth = { readonly linesUp: number; readonly linesTotal: number; readonly storeOk: boolean };

/** The gateway's core, as the HTTP edge sees it. */
export interface GatewayActions {
  listIncidents(filter: IncidentFilter): Promise<readonly IncidentView[]>;
  getIncident(id: string): Promise<IncidentView | undefined>;
  /** The incident's fixes, oldest first; undefined for an unknown incident. */
  track(incidentId: string): Promise<Track | undefined>;
  acknowledge(incidentId: string, request: AcknowledgeRequest, by: Actor): Promise<ActionResult>;
  close(incidentId: string, request: CloseIncidentRequest, by: Actor): Promise<ActionResult>;
  /** Sends TSC1 STOP to the incident's handset. */
  stopTracking(incidentId: string, by: Actor): Promise<ActionResult>;
  /** Sends TSC1 LOCATE (a fresh fix) to the incident's handset. */
  locate(incidentId: string, by: Actor): Promise<ActionResult>;

  listCalls(): Promise<readonly CallView[]>;
  /** ATA on the call's line. */
  answer(callId: string, by: Actor): Promise<ActionResult>;
  /** ATH / AT+CHUP on the call's line. */
  hangup(callId: string, by: Actor): Promise<ActionResult>;

  registerHandset(registration: HandsetRegistration, by: Actor): Promise<ActionResult<{ readonly handset: HandsetView }>>;
  listHandsets(): Promise<readonly HandsetView[]>;
  handsetHealth(): Promise<readonly HandsetHealth[]>;
  /** Any TSC1 command to a handset (engineer: test a handset on the bench). */
  sendCommand(handsetId: string, command: HandsetCommand, by: Actor): Promise<ActionResult>;

  health(): GatewayHealth;
}
