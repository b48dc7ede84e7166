// What a TSR1 event code adds to an accepted report (one file per code, one line in table.ts).
import type { DecodedReport } from '../../../protocol/report/tsr1.js';
import type { CallPriority } from '../../../protocol/schemas/calls.js';
import type { IncidentCause } from '../../../protocol/schemas/incidents.js';
import type { CoreState } from '../../core/state.js';
import type { Incident } from '../../incidents/incidents.js';
import type { Handset } from '../../registry/registry.js';
import type { NewEvent } from '../../store/event-store.js';

export type ReportContext = {
  readonly state: CoreState;
  readonly report: DecodedReport;
  readonly handset: Handset;
  /** The handset's open incident before this report, if any. */
  readonly incident: Incident | undefined;
  /** When the report's last part arrived (ms, the gateway's clock). */
  readonly receivedAt: number;
};

export type ReportEffect = {
  /** Open an incident when the handset has none (an alarm without a call, a TRK without its alarm). */
  readonly open?: { readonly cause: IncidentCause; readonly priority: CallPriority };
  /** Further events, stored after report.accepted. */
  readonly events?: readonly NewEvent[];
};

export type ReportEventHandler = (ctx: ReportContext) => ReportEffect;
