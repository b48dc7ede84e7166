// Every gateway event, as one discriminated union on `type`. These are the entries of the event log and,
// with their `seq`, the WebSocket messages a console receives. Adding an event: a schema in its concept's
// file and one line here.

import { z } from 'zod';
import { CallAnswered, CallEnded, CallIdentified, CallRinging } from './calls.js';
import { CommandResult, CommandSent } from './commands.js';
import { Fix } from './fixes.js';
import { HandsetHealth, HandsetStatus } from './handsets.js';
import { IncidentAcknowledged, IncidentClosed, IncidentLocateRequested, IncidentOpened, IncidentReAlarmed, IncidentTrackingStopped } from './incidents.js';
import { LineHealth } from './lines.js';
import { ReportAccepted, ReportRejected } from './reports.js';

export const GatewayEvent = z.discriminatedUnion('type', [
  CallRinging,
  CallAnswered,
  CallEnded,
  IncidentOpened,
  IncidentAcknowledged,
  IncidentClosed,
  IncidentTrackingStopped,
  IncidentLocateRequested,
  IncidentReAlarmed,
  Fix,
  ReportAccepted,
  ReportRejected,
  HandsetStatus,
  HandsetHealth,
  CommandSent,
  CommandResult,
  LineHealth,
  CallIdentified,
]);
export type GatewayEvent = z.infer<typeof GatewayEvent>;
/** The `type` of every gateway event. */
export type GatewayEventType = GatewayEvent['type'];

/** An event without its envelope, as the gateway's code builds it before the store assigns seq and at. */
export type GatewayEventPayload = GatewayEvent extends infer E ? (E extends GatewayEvent ? Omit<E, 'v' | 'seq' | 'at'> : never) : never;

/** The `type` values, in union order. */
export const GATEWAY_EVENT_TYPES = GatewayEvent.options.map((o) => o.shape.type.value) as readonly GatewayEventType[];
