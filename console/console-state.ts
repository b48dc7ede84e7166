// The console's picture of the control room is protocol/schemas/console-state.ts, beside the schema of the
// `view` message that carries it: the gateway builds the same picture to start a console that opens with
// nothing (docs/console.md), and the console uses only protocol/schemas from the rest of the code base.
export * from '../protocol/schemas/console-state.js';
