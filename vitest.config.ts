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
    hookTimeout: 30_000,
    reporters: ['default'],
    // TMPDIR for the run, removed at its end (test/support/run-tmpdir.ts).
    globalSetup: ['test/support/run-tmpdir.ts'],
  },
});
