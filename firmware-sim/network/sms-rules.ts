// How the network treats SMS on a route: real SMS is late, sometimes lost, sometimes twice, sometimes out
// of order. Every draw comes from the network's seeded Random and every wait from its Clock, so a run replays.

/** Delivery behaviour of a route (or the whole network). */
export interface SmsRules {
  /** Fixed delay from submission to the first delivery attempt (ms). */
  readonly delayMs: number;
  /** A random extra delay 0..reorderMs per copy, so that messages can overtake each other (ms). */
  readonly reorderMs: number;
  /** Probability that a message vanishes (the SMSC accepted it, nobody gets it). */
  readonly lossProbability: number;
  /** Probability that a message is delivered twice (a second copy with its own random delay). */
  readonly duplicateProbability: number;
}

/** The default: immediate, reliable, in order. */
export const RELIABLE: SmsRules = { delayMs: 0, reorderMs: 0, lossProbability: 0, duplicateProbability: 0 };

/** Which messages a rule applies to; an absent side matches any number. */
export interface SmsRoute {
  readonly from?: string;
  readonly to?: string;
}

/** Checks a rule set; throws a message a person can act on (bad configuration fails at start-up). */
export function checkRules(r: SmsRules): SmsRules {
  const prob = (name: string, p: number): void => {
    if (!(p >= 0 && p <= 1)) throw new Error(`SMS rule ${name} must be a probability in [0, 1], got ${p}`);
  };
  const ms = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`SMS rule ${name} must be >= 0 ms, got ${v}`);
  };
  ms('delayMs', r.delayMs);
  ms('reorderMs', r.reorderMs);
  prob('lossProbability', r.lossProbability);
  prob('duplicateProbability', r.duplicateProbability);
  return r;
}

/** A table of rules by route, most specific first: from+to, then to, then from, then the global rule. */
export class SmsRuleTable {
  private global: SmsRules = RELIABLE;
  private readonly byRoute = new Map<string, SmsRules>();

  /** Sets the rule for a route, or the global rule when `route` is omitted. */
  set(rules: Partial<SmsRules>, route?: SmsRoute): void {
    if (route === undefined || (route.from === undefined && route.to === undefined)) {
      this.global = checkRules({ ...this.global, ...rules });
      return;
    }
    const key = routeKey(route.from, route.to);
    this.byRoute.set(key, checkRules({ ...(this.byRoute.get(key) ?? this.global), ...rules }));
  }

  /** The rule that applies to a message from `from` to `to`. */
  lookup(from: string, to: string): SmsRules {
    return (
      this.byRoute.get(routeKey(from, to)) ??
      this.byRoute.get(routeKey(undefined, to)) ??
      this.byRoute.get(routeKey(from, undefined)) ??
      this.global
    );
  }
}

function routeKey(from: string | undefined, to: string | undefined): string {
  return `${from ?? '*'}>${to ?? '*'}`;
}
