import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores on CI: forks keep native addons (better-sqlite3, serialport) isolated per file.
    pool: 'forks',
    // Two files at a time on the two cores (vitest's own default in a run is cores - 1: one). Much of the suite
    // waits on child processes, browsers and sockets: one worker left a core idle most of the time (12.4 min
    // wall for 8.8 min of CPU); two take it to about 8 min. Tests assert no timings, so load does not fail them.
    maxWorkers: 2,
    testTimeout: 30_000,
    // Every store a test opens (and a gateway a test starts as a child process, which inherits the environment)
    // freezes what it stages, so a change to an event after stage() throws and fails the test that made it
    // (gateway/store/deep-freeze.ts; event-store.ts EventLog.stage() says why it must not happen).
    env: { TECSOS_FREEZE_STAGED: '1' },
    hookTimeout: 30_000,
    reporters: ['default'],
    // TMPDIR for the run, removed at its end (test/support/run-tmpdir.ts).
    globalSetup: ['test/support/run-tmpdir.ts'],
  },
});
