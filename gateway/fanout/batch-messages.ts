// `batch` messages (protocol/schemas/control.ts EventBatch), for a client that asked with `batch=1`: the
// backlog a page at a time, and a live run (one store commit) of more than one event for its role.
//
//   {"v":1,"type":"batch","at":"2026-11-23T06:00:01.000Z","events":[{"v":1,"seq":41,...},{"v":1,"seq":42,...}]}
//
// Each element is the event's own message text, already shaped for the role and checked against its schema
// (role-frames.ts), put in as it is: a batch is valid by construction and costs no second serialisation.
// More than MAX_BATCH_EVENTS texts make several messages, in order.
import { MAX_BATCH_EVENTS } from '../../protocol/schemas/control.js';

/** The `batch` messages carrying `texts` (event messages in seq order), at most MAX_BATCH_EVENTS each. */
export function batchMessages(texts: readonly string[], at: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < texts.length; i += MAX_BATCH_EVENTS) {
    out.push(`{"v":1,"type":"batch","at":"${at}","events":[${texts.slice(i, i + MAX_BATCH_EVENTS).join(',')}]}`);
  }
  return out;
}
