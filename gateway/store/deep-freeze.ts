// The test switch that enforces "a staged event is not changed afterwards" (event-store.ts, EventLog.stage()).
// With it on, stage() freezes each event it stages, everything nested in it and its StoredEvent, so any later
// write to them throws a TypeError (all of the gateway is strict-mode ESM) and fails the test that made it. Off
// in production: freezing costs a walk of every staged event on the hot path, and a write there would then throw
// in the middle of a decision instead of changing an object; the switch costs one boolean test per stage().
//
//   TECSOS_FREEZE_STAGED=1   on for every store this process opens (vitest.config.ts sets it for all tests)
//   SqliteStoreOptions.freezeStaged   on or off for one store, whatever the environment says

/** Whether the environment turns the switch on (read when a store is opened, not per event). */
export function freezeStagedFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.TECSOS_FREEZE_STAGED === '1';
}

/**
 * Freezes `value` and every object and array reachable from it (without recursion: JSON nests deep). Typed
 * arrays and other views cannot be frozen while they hold elements and are left as they are (JSON gives them
 * no meaning the store keeps anyway).
 */
export function deepFreeze(value: unknown): void {
  const stack: unknown[] = [value];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) continue;
    Object.freeze(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push(child);
  }
}
