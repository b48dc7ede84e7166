// Counters and gauges in the Prometheus text exposition format 0.0.4, written by hand: the format is a few
// lines per metric and a client library would add a dependency for no gain.
//
//   # HELP tecsos_reports_rejected_total Reports rejected, by reason.
//   # TYPE tecsos_reports_rejected_total counter
//   tecsos_reports_rejected_total{reason="bad_mac"} 3
//
// One registry per gateway; the core (lines, calls, reports) increments the handles in {@link GatewayMetrics},
// the HTTP edge and the fan-out fill in the rest. Names are listed in docs/api.md.

import { CallPriority } from '../../protocol/schemas/calls.js';
import { ReportRejectReason } from '../../protocol/schemas/reports.js';

type Labels = Readonly<Record<string, string>>;

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabel(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelKey(labels: Labels | undefined): string {
  if (labels === undefined) return '';
  // The common case, one label (reports accepted by event, rejected by reason): no sort, no array.
  let only: string | undefined;
  let n = 0;
  for (const k in labels) {
    only = k;
    if (++n > 1) break;
  }
  if (n === 1) return `{${only as string}="${escapeLabel(labels[only as string] as string)}"}`;
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k] as string)}"`).join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

abstract class Metric {
  protected readonly values = new Map<string, number>();
  private collector: (() => void) | undefined;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}

  /** Current value for a label set (0 when never set). */
  get(labels?: Labels): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  /** Computes the value(s) just before each scrape (for figures kept elsewhere). */
  collect(fn: () => void): void {
    this.collector = fn;
  }

  render(): string {
    this.collector?.();
    const lines = [`# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${this.name} ${this.type}`];
    if (this.values.size === 0 && this.type === 'gauge') lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${formatValue(v)}`);
    return lines.join('\n');
  }
}

/** A value that only goes up (restarts at 0 with the process). */
export class Counter extends Metric {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  inc(labels?: Labels, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  /** Mirrors a total counted elsewhere (in a `collect` callback). */
  setTotal(value: number, labels?: Labels): void {
    this.values.set(labelKey(labels), value);
  }
}

/** A value that goes up and down; may be computed at scrape time by `collect`. */
export class Gauge extends Metric {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }

  set(value: number, labels?: Labels): void {
    this.values.set(labelKey(labels), value);
  }
}

/** A set of metrics rendered together. */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }

  /** The exposition text (Content-Type: text/plain; version=0.0.4). */
  render(): string {
    return [...this.metrics.values()].map((m) => m.render()).join('\n') + '\n';
  }

  private add<M extends Metric>(m: M): M {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The gateway's metrics. */
export type GatewayMetrics = {
  readonly registry: MetricsRegistry;
  /** Lines by state (`up`, `down`); set by gateway/lines. */
  readonly lines: Gauge;
  /** Calls by priority (`tecsos`, `tecsos_unregistered`, `test`, `ordinary`); incremented by gateway/calls. */
  readonly calls: Counter;
  /** Reports accepted, by event (`ALM`, `TRK`, ...); incremented by gateway/reports. */
  readonly reportsAccepted: Counter;
  /** Reports rejected, by reason (`bad_mac`, `replay`, `malformed`, `unknown_sender`, ...). */
  readonly reportsRejected: Counter;
  /** Connected WebSocket clients by role. */
  readonly wsClients: Gauge;
  /** Seconds between an event's stored `at` and its broadcast, for the last broadcast event. */
  readonly eventLag: Gauge;
  /** Seq of the last event broadcast. */
  readonly lastSeq: Gauge;
  /** Clients dropped by the fan-out, by reason (`slow`, `heartbeat`, `session`, `since_ahead`, `error`). */
  readonly fanoutDrops: Counter;
  /** Outgoing events that failed their schema and were not sent. */
  readonly fanoutInvalid: Counter;
  /** Console pictures sent (a console that opened with nothing, `view=1`). */
  readonly fanoutViews: Counter;
  /** HTTP responses by method, route pattern and status. */
  readonly httpRequests: Counter;
  /** Client connections closed on arrival because the edge held its cap (HttpConfig.maxConnections). */
  readonly connectionsDropped: Counter;
  /** Logins by outcome (`ok`, `invalid`, `rate_limited`). */
  readonly logins: Counter;
  /** WebSocket upgrades refused, by status (401, 403, 400, 404, 503). */
  readonly wsRefused: Counter;
  /** 1 while retention does not trust the wall clock and ages data by the time it trusts (gateway/core/retention-clock.ts). */
  readonly retentionClockHeld: Gauge;
};

/** Creates the registry with every gateway metric. */
export function createGatewayMetrics(): GatewayMetrics {
  const r = new MetricsRegistry();
  const metrics: GatewayMetrics = {
    registry: r,
    lines: r.gauge('tecsos_lines', 'Modem lines by state.'),
    calls: r.counter('tecsos_calls_total', 'Calls received, by priority: each call once, as it rang, or as identified when it rang with no number.'),
    reportsAccepted: r.counter('tecsos_reports_accepted_total', 'Handset reports accepted, by event.'),
    reportsRejected: r.counter('tecsos_reports_rejected_total', 'Reports rejected, by reason.'),
    wsClients: r.gauge('tecsos_ws_clients', 'Connected WebSocket clients.'),
    eventLag: r.gauge('tecsos_event_lag_seconds', 'Broadcast time minus stored time of the last event.'),
    lastSeq: r.gauge('tecsos_event_last_seq', 'Seq of the last event broadcast.'),
    fanoutDrops: r.counter('tecsos_fanout_drops_total', 'WebSocket clients disconnected by the fan-out, by reason.'),
    fanoutInvalid: r.counter('tecsos_fanout_invalid_total', 'Outgoing events that failed their schema and were not sent.'),
    fanoutViews: r.counter('tecsos_fanout_views_total', 'Console pictures sent to WebSocket clients that opened with nothing (view=1).'),
    httpRequests: r.counter('tecsos_http_requests_total', 'HTTP responses by method, route and status.'),
    connectionsDropped: r.counter('tecsos_http_connections_dropped_total', 'Client connections closed on arrival: the connection cap was reached.'),
    logins: r.counter('tecsos_logins_total', 'Login attempts by outcome.'),
    wsRefused: r.counter('tecsos_ws_refused_total', 'WebSocket upgrades refused, by HTTP status.'),
    retentionClockHeld: r.gauge('tecsos_retention_clock_held', '1 while retention does not trust the wall clock (it jumped, or is far from the log): nothing is redacted by it.'),
  };
  // A counter without labels is shown at 0 from the start: Prometheus's increase() needs a sample before the
  // first increment, or the first connection dropped at the cap (an alert, docs/operations.md) counts as none.
  // So is each rejection reason and call priority (the label is the value with `_` for `-`, as the core counts
  // them): the first `bad_mac` after a restart is an increase, not a new series.
  metrics.connectionsDropped.inc(undefined, 0);
  for (const reason of ReportRejectReason.options) metrics.reportsRejected.inc({ reason: reason.replace(/-/g, '_') }, 0);
  for (const priority of CallPriority.options) metrics.calls.inc({ priority: priority.replace(/-/g, '_') }, 0);
  return metrics;
}
