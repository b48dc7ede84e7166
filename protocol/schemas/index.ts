// protocol/schemas: zod schemas and inferred types for every message crossing a process or network
// boundary: the gateway's WebSocket messages (events and control) and REST bodies. The contract between
// gateway, console and tests. One file per concept; the list is in docs/formats.md.

export * from './common.js';
export * from './envelope.js';
export * from './calls.js';
export * from './incidents.js';
export * from './fixes.js';
export * from './reports.js';
export * from './handsets.js';
export * from './commands.js';
export * from './lines.js';
export * from './users.js';
export * from './audit.js';
export * from './events.js';
export * from './control.js';
export * from './rest.js';
export * from './views.js';
export * from './console-view.js';
