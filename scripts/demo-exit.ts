// What `make demo` says when one of its two programs stops by itself (scripts/demo.ts).
//
// Why: with the gateway SIGKILLed in the middle of a demo (its process only, to see the consoles resume), the demo
// said "gateway exited (status null); stopping the demo": Node gives a killed child's status as null and the signal
// apart, and nothing said that everything was kept or how to go on.

/** The line the demo writes when `what` ended by itself (`code` and `signal` as Node's 'exit' event gives them). */
export function childEnded(what: string, code: number | null, signal: NodeJS.Signals | null): string {
  const how = signal !== null ? `was killed (${signal})` : `exited (status ${code ?? 'unknown'})`;
  return `${what} ${how}; stopping the demo. What was stored stays in ./data: \`make demo\` (or \`npm run demo\`) again goes on from it.\n`;
}
