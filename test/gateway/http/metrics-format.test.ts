// /metrics as a Prometheus server reads it (text exposition format 0.0.4): every family has its HELP and TYPE
// once, counters are named *_total, and a counter without labels is there from the start at 0. Prometheus's
// increase() and rate() need a sample before the first increment: a counter that appears only at 1 (the first
// connection dropped at the cap, which docs/operations.md says to alert on) counts as no increase. The same for
// a labelled counter's known label values (Prometheus's instrumentation guide: "avoid missing metrics"): the
// first bad_mac after a restart must be an increase.
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../../gateway/http/metrics.js';
import { CallPriority } from '../../../protocol/schemas/calls.js';
import { ReportRejectReason } from '../../../protocol/schemas/reports.js';

type Family = { type: string; samples: string[] };

function parse(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const helps = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) /.exec(line);
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (help !== null) {
      expect(helps.has(help[1] as string), `HELP ${help[1]} once`).toBe(false);
      helps.add(help[1] as string);
    } else if (type !== null) {
      expect(families.has(type[1] as string), `TYPE ${type[1]} once`).toBe(false);
      families.set(type[1] as string, { type: type[2] as string, samples: [] });
    } else {
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/.exec(line);
      expect(sample, `a sample line: ${line}`).not.toBeNull();
      const family = families.get((sample as RegExpExecArray)[1] as string);
      expect(family, `TYPE before ${line}`).toBeDefined();
      family?.samples.push(line);
    }
  }
  return families;
}

describe('gateway metrics in the exposition format', () => {
  it('names counters *_total, and gives every counter without labels a 0 before its first increment', () => {
    const families = parse(createGatewayMetrics().registry.render());
    expect(families.size).toBeGreaterThan(10);
    for (const [name, f] of families) {
      if (f.type === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
    }
    expect(families.get('tecsos_http_connections_dropped_total')?.samples).toEqual(['tecsos_http_connections_dropped_total 0']);
    expect(families.get('tecsos_fanout_invalid_total')).toBeDefined();
  });

  it('shows every rejection reason and call priority at 0 before the first (the alert on bad_mac or replay sees the first after a restart)', () => {
    const families = parse(createGatewayMetrics().registry.render());
    const rejected = families.get('tecsos_reports_rejected_total')?.samples ?? [];
    for (const reason of ReportRejectReason.options) expect(rejected).toContain(`tecsos_reports_rejected_total{reason="${reason.replace(/-/g, '_')}"} 0`);
    expect(rejected).toHaveLength(ReportRejectReason.options.length);
    const calls = families.get('tecsos_calls_total')?.samples ?? [];
    for (const priority of CallPriority.options) expect(calls).toContain(`tecsos_calls_total{priority="${priority.replace(/-/g, '_')}"} 0`);
  });

  it('counts a rejection on the label set shown at 0 (one series per reason, not two)', () => {
    const metrics = createGatewayMetrics();
    metrics.reportsRejected.inc({ reason: 'bad_mac' });
    const rejected = parse(metrics.registry.render()).get('tecsos_reports_rejected_total')?.samples ?? [];
    expect(rejected.filter((l) => l.includes('"bad_mac"'))).toEqual(['tecsos_reports_rejected_total{reason="bad_mac"} 1']);
  });
});
