// The Node flags the gateway's process is started with, wherever this project starts it: package.json's
// "gateway" script (`tsx <flags> gateway/main.ts`: an npm script cannot import this, test/gateway/node-flags.test.ts
// keeps the two equal), `make demo` (scripts/demo.ts) and the benchmarks that run the gateway (bench/run.ts).
// docs/operations.md gives them for a supervisor's command line.
//
// A young generation of 32 MB per semi-space (V8's default here is 16): the gateway allocates several KB per SMS
// part that die within a commit or two, and with the default each scavenge still found much of a group commit
// alive and copied it. In the ingest benchmark (docs/benchmarks.md "Report ingest", 25 Nov, interleaved) the
// gateway thread took 9 % less CPU per report with 10 consoles (12 of 13 pairs) and 7 % less with none (9 of
// 10), for up to 32 MB more of young generation (the alarm bench's process peaked 21-28 MB higher); the alarm
// latency did not change (14 pairs). 64 MB did no better than 32.
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
