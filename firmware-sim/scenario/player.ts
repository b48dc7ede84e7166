// Plays a scenario (scenario.ts) on a running simulation: each step becomes one timer on the simulation's clock,
// `atS` seconds after play() was called, and calls the same control method the HTTP API uses. Under the wall
// clock that is the live demo; under a ManualClock the same steps fall at the same simulated milliseconds, so a
// seeded run replays report for report. Steps are checked against the simulation before anything is scheduled
// (a handset or line that does not exist is an error naming the step, not a failure half-way through a demo).

import type { TimerHandle } from '../../protocol/time/clock.js';
import type { Simulation } from '../sim/simulation.js';
import { ScenarioError, type Scenario, type ScenarioStep } from './scenario.js';

/** A scenario being played. */
export interface ScenarioRun {
  /** Resolves after the last step ran. */
  readonly done: Promise<void>;
  /** Steps run so far. */
  readonly stepsRun: () => number;
  /** Cancels the steps still to come. */
  cancel(): void;
}

/** Throws a ScenarioError naming the first step that refers to something the simulation does not have. */
export function checkScenario(scenario: Scenario, sim: Simulation): void {
  scenario.steps.forEach((s, i) => {
    if ('handset' in s && !sim.handsets.has(s.handset)) throw new ScenarioError(`scenario ${scenario.name}: steps.${i}.handset: no handset ${s.handset} in this simulation`);
    if (s.action === 'line' && s.line > sim.lines.length) throw new ScenarioError(`scenario ${scenario.name}: steps.${i}.line: the bank has lines 1..${sim.lines.length}`);
  });
}

/** Runs one step now. */
export function runStep(sim: Simulation, step: ScenarioStep): void {
  switch (step.action) {
    case 'route':
      sim.setRoute(step.handset, step.route);
      return;
    case 'button':
      sim.button(step.handset, step.gesture);
      return;
    case 'coverage':
      sim.setCoverage(step.handset, step.inCoverage);
      return;
    case 'network': {
      const { down, ...faults } = step.faults;
      if (Object.keys(faults).length > 0) sim.setNetworkFaults(faults);
      if (down !== undefined) sim.setNetworkDown(down);
      return;
    }
    case 'line':
      sim.lineFault(step.line, step.fault === 'hang' ? { fault: 'hang', ...(step.durationMs !== undefined ? { durationMs: step.durationMs } : {}) } : { fault: step.fault });
      return;
    default: {
      const never: never = step;
      throw new ScenarioError(`unknown scenario step ${JSON.stringify(never)}`);
    }
  }
}

/** Schedules every step of `scenario` on the simulation's clock, from now. */
export function playScenario(sim: Simulation, scenario: Scenario): ScenarioRun {
  checkScenario(scenario, sim);
  const clock = sim.clock;
  const startMs = clock.now();
  // Stable by time: steps at the same second keep their file order.
  const steps = scenario.steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.atS - b.s.atS || a.i - b.i);
  const timers: TimerHandle[] = [];
  let ran = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  if (steps.length === 0) finish();
  for (const { s } of steps) {
    timers.push(
      clock.setTimeout(() => {
        runStep(sim, s);
        if (++ran === steps.length) finish();
      }, startMs + Math.round(s.atS * 1000) - clock.now()),
    );
  }
  return {
    done,
    stepsRun: () => ran,
    cancel: () => {
      for (const t of timers) clock.clearTimeout(t);
      finish();
    },
  };
}
