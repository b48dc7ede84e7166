// The console's picture of the control room at one seq (protocol/schemas/console-state.ts), as the gateway sends
// it to a console that opens with nothing (`/ws?since=0&view=1`, docs/api.md): the same picture the console
// would have built by applying every event of the log, without the log. Every part is what events put there,
// checked again by the console like any other message.
import { z } from 'zod';
import { BatteryPct, CallId, HandsetId, LineId, ReportEventCode, Timestamp } from './common.js';
import { CommandResult, CommandSent } from './commands.js';
import { GatewayEvent } from './events.js';
import { HandsetHealth } from './handsets.js';
import { LineHealth } from './lines.js';
import { ReportRejected } from './reports.js';
import { CallView, IncidentView, TrackPoint } from './views.js';

/** Upper bounds: far beyond any control room, only so that a corrupt view cannot exhaust the browser. */
const MAX_ENTRIES = 1_000_000;

/** An incident as the console holds it: IncidentView without the victim, the last fix and the handset, plus what events add. */
export const ConsoleIncident = IncidentView.omit({ victim: true, lastFix: true, handset: true }).extend({
  callIds: z.array(CallId).max(10_000),
  locateRequestedAt: Timestamp.nullable(),
  /** The last incident.re-alarmed: only a call answered after it answers that new alarm. */
  reAlarmedAt: Timestamp.nullable(),
  /** LOCATEs sent for the incident (command.sent) not yet answered by a TRK: that answer is no tracking. */
  locatesDue: z.int().min(0).max(MAX_ENTRIES),
});
export type ConsoleIncident = z.infer<typeof ConsoleIncident>;

/** Handset state from handset.status / report.accepted. */
export const ConsoleHandset = z.object({
  handsetId: HandsetId,
  batteryPct: BatteryPct.nullable(),
  /** As report.accepted carries it (0-99; handset.status: 0-31 or 99). */
  csq: z.int().min(0).max(99).nullable(),
  lastReportAt: Timestamp.nullable(),
  lastEvent: ReportEventCode.nullable(),
});
export type ConsoleHandset = z.infer<typeof ConsoleHandset>;

/**
 * When a line's current run up or not up began: the time of the `line.health` event that began it (the line's
 * first event, or the first whose state went from `up` to another or back; retries of a down line do not).
 */
export const ConsoleLineRun = z.object({ lineId: LineId, up: z.boolean(), at: Timestamp });
export type ConsoleLineRun = z.infer<typeof ConsoleLineRun>;

/** Every map in its insertion order (the state keeps and drops entries by it). */
export const ConsoleView = z.object({
  /** How many events the picture was built from (the client's role's; each seq once). */
  events: z.int().min(0),
  calls: z.array(CallView).max(MAX_ENTRIES),
  incidents: z.array(ConsoleIncident).max(MAX_ENTRIES),
  /** Per incident id, or `call:<callId>` for an ordinary call's AML fixes; points oldest first. */
  tracks: z.array(z.object({ key: z.string().min(1).max(64), points: z.array(TrackPoint).max(MAX_ENTRIES) })).max(MAX_ENTRIES),
  handsets: z.array(ConsoleHandset).max(MAX_ENTRIES),
  health: z.array(HandsetHealth).max(MAX_ENTRIES),
  lines: z.array(LineHealth).max(10_000),
  commands: z.array(z.object({ sent: CommandSent, result: CommandResult.nullable() })).max(MAX_ENTRIES),
  rejected: z.array(ReportRejected).max(10_000),
  recent: z.array(GatewayEvent).max(10_000),
  /**
   * Each line's current run (ConsoleLineRun), from every event of the log: `recent` holds only the newest 200,
   * so a console opening during an outage could only say "down since HH:MM:SS or earlier". Optional: pictures
   * of gateways before 24 Nov 2026 have none (the console then says "or earlier" as before); a console of then
   * ignores it.
   */
  lineRuns: z.array(ConsoleLineRun).max(10_000).optional(),
});
export type ConsoleView = z.infer<typeof ConsoleView>;
