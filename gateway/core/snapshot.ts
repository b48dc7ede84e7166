// Snapshots of CoreState: a restart restores the projections as they stood at some seq and applies only the
// events after it, instead of reading and parsing the whole log (docs/benchmarks.md "Restart": 35 s for 2.8M
// events, nearly all of it reading the log). The log stays the truth: a snapshot that is missing, from another
// format, corrupt, or ahead of the log is refused and the projections are rebuilt from seq 1 as before.
//
// Use (gateway-core.ts):
//
//   const snap = await store.loadSnapshot(SNAPSHOT_NAME);
//   const restored = snap !== undefined && restoreState(state, snap.json, { maxSeq: await store.lastSeq() });
//   // read from min(state.lastSeq, the first sms.received the reassembler must see again - 1: firstSeqOf),
//   // feeding state.apply (it skips the seqs it holds) and the report pipeline's replay
//   ...
//   await store.saveSnapshot(SNAPSHOT_NAME, state.lastSeq, snapshotState(state));   // in the serial queue
//
// The format is snapshot-schema.ts; what each projection saves is its snapshot()/restore() pair.
import { fixesKept } from '../incidents/incidents.js';
import { CoreSnapshot, SNAPSHOT_FORMAT } from './snapshot-schema.js';
import type { CoreState } from './state.js';

/** The name the core's snapshot is saved under (EventStore.saveSnapshot). */
export const SNAPSHOT_NAME = 'core';

/** CoreState as snapshot JSON (format SNAPSHOT_FORMAT), built from every event up to `state.lastSeq`. */
export function snapshotState(state: CoreState): string {
  const snapshot: CoreSnapshot = {
    format: SNAPSHOT_FORMAT,
    lastSeq: state.lastSeq,
    registry: state.registry.snapshot(),
    incidents: state.incidents.snapshot(),
    calls: state.calls.snapshot(),
    commands: state.commands.snapshot(),
    waitingAml: state.waitingAml.snapshot(),
    owedStops: state.owedStops.snapshot(),
  };
  return JSON.stringify(snapshot);
}

export type RestoreOptions = {
  /** The log's last seq: a snapshot beyond it (a log restored from an older backup) is refused. */
  readonly maxSeq?: number;
};

/**
 * Replaces the state's projections with a snapshot's. Returns false, the state untouched, when the JSON is not
 * a snapshot this code understands (another format, a broken file, references that do not resolve, a seq
 * beyond `maxSeq`): the caller then rebuilds from the log. Never throws for bad input.
 */
export function restoreState(state: CoreState, json: string, options: RestoreOptions = {}): boolean {
  const snapshot = parse(json);
  if (snapshot === undefined || !consistent(snapshot)) return false;
  if (options.maxSeq !== undefined && snapshot.lastSeq > options.maxSeq) return false;
  // Everything below was checked: none of it can throw.
  state.registry.restore(snapshot.registry);
  state.incidents.restore({
    ...snapshot.incidents,
    // RECENT_FIXES may have shrunk since the snapshot was written, and a closed incident kept RECENT_FIXES before
    // CLOSED_FIXES: keep what a rebuild would keep.
    incidents: snapshot.incidents.incidents.map((i) => ({ ...i, recentFixes: i.recentFixes.slice(-fixesKept(i.state)) })),
  });
  state.calls.restore(snapshot.calls);
  state.commands.restore(snapshot.commands);
  state.waitingAml.restore(snapshot.waitingAml);
  state.owedStops.restore(snapshot.owedStops);
  state.lastSeq = snapshot.lastSeq;
  return true;
}

function parse(json: string): CoreSnapshot | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const r = CoreSnapshot.safeParse(value);
  return r.success ? r.data : undefined;
}

/** Ids unique, every reference naming something held, no fix (or waiting AML) past lastSeq. */
function consistent(s: CoreSnapshot): boolean {
  const handsets = uniqueIds(s.registry.handsets);
  const incidents = uniqueIds(s.incidents.incidents);
  const calls = uniqueIds(s.calls.calls);
  if (handsets === undefined || incidents === undefined || calls === undefined) return false;
  if (!s.registry.byNumber.every(([, id]) => handsets.has(id))) return false;
  if (!s.incidents.open.every(([, id]) => incidents.has(id))) return false;
  if (!s.calls.active.every(([, id]) => calls.has(id))) return false;
  if (new Set(s.commands.byHandset.map(([id]) => id)).size !== s.commands.byHandset.length) return false;
  for (const i of s.incidents.incidents) if (i.recentFixes.some((f) => f.seq > s.lastSeq)) return false;
  if (s.waitingAml.some((w) => w.seq > s.lastSeq)) return false;
  if (new Set(s.owedStops.map((o) => o.handsetId)).size !== s.owedStops.length) return false;
  return true;
}

function uniqueIds(items: readonly { readonly id: string }[]): Set<string> | undefined {
  const ids = new Set(items.map((i) => i.id));
  return ids.size === items.length ? ids : undefined;
}
