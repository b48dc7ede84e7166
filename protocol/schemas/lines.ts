// Modem line health: one event when a line's state, registration or signal changes.

import { z } from 'zod';
import { Csq, Detail, LineId } from './common.js';
import { eventSchema } from './envelope.js';

export const LineState = z.enum(['initialising', 'up', 'resetting', 'down']);
/** +CREG: 1 home, 5 roaming, 2 searching, 3 denied, 0 not registered, 4 unknown. */
export const LineRegistration = z.enum(['home', 'roaming', 'searching', 'denied', 'not-registered', 'unknown']);

export const LineHealth = eventSchema('line.health', {
  lineId: LineId,
  /** The port spec (`/dev/ttyUSB0`, `tcp://host:port`, `mock:NAME`). */
  port: z.string().min(1).max(200),
  state: LineState,
  registration: LineRegistration,
  /** +CSQ RSSI (99 = not known); null before the first reading. */
  signalCsq: Csq.nullable(),
  detail: Detail,
});
export type LineHealth = z.infer<typeof LineHealth>;
