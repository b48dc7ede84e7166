// What GET /api/handsets (engineers and supervisors) and POST /api/handsets (engineers) say of a handset's last
// refused report (`lastRejection`). The WebSocket never gives an engineer the sender's number or the gateway's
// free-text `detail` of a refused report (gateway/fanout/audience.ts ENGINEER_EVENT_FIELDS; docs/api.md "Who sees
// what"), but GET /api/handsets gave every role `lastRejection.detail`, which for a sender-mismatch is "TS-0001 is
// registered with +447700900123, the SMS came from <sender>": her genuine report relayed from another phone, maybe
// the abuser's, and its number to anyone with an engineer's login. Now an engineer gets the reason and when, with
// `detail: ""`, on both routes; a supervisor gets it as stored.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../gateway/auth/password.js';
import { LogUserDirectory } from '../../../gateway/auth/users.js';
import { createHttpServer, type HttpServer } from '../../../gateway/http/server.js';
import { openEventStore } from '../../../gateway/store/open-store.js';
import { deliver, HANDSET_ID, HANDSET_NUMBER, registration, report, startRig, type Rig } from '../core/harness.js';
import { PASSWORD } from './harness.js';

/** Someone else's phone: the number that must not reach an engineer. */
const SENDER = '+447700900777';

let rig: Rig | undefined;
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await rig?.stop();
  server = undefined;
  rig = undefined;
});

/** The real core behind the HTTP edge, with an engineer and a supervisor (the edge's users in a store of their own). */
async function start(): Promise<{ rig: Rig; server: HttpServer; login: (username: string) => Promise<string> }> {
  rig = await startRig();
  const edgeStore = openEventStore({ path: ':memory:' });
  const users = new LogUserDirectory(edgeStore, () => Date.now());
  await users.load(edgeStore);
  for (const [username, role] of [['eng', 'engineer'], ['super', 'supervisor']] as const) {
    await users.create({ username, role, displayName: username, passwordHash: await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }), by: 'test' });
  }
  const s = await createHttpServer({ store: edgeStore, actions: rig.core, users, logger: pino({ level: 'silent' }), config: { port: 0 } });
  const close = s.close.bind(s);
  server = { ...s, close: async () => { await close(); await edgeStore.close(); } };
  const login = async (username: string) => {
    const r = await s.app.inject({ method: 'POST', url: '/api/login', payload: { username, password: PASSWORD } });
    expect(r.statusCode).toBe(200);
    return String(r.headers['set-cookie']).split(';')[0] as string;
  };
  return { rig, server: s, login };
}

describe("a handset's last refused report over REST", () => {
  it('an engineer gets the reason and when, never the number a sender-mismatch came from; a supervisor gets it all', async () => {
    const { rig, server, login } = await start();
    // Her report, signed with the handset's key, sent from another phone.
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), SENDER));
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'sender-mismatch', claimedHandsetId: HANDSET_ID, fromNumber: SENDER }]);

    const list = async (username: string) => {
      const r = await server.app.inject({ method: 'GET', url: '/api/handsets', headers: { cookie: await login(username) } });
      expect(r.statusCode).toBe(200);
      return { text: r.body, handset: (r.json() as { handsets: { id: string }[] }).handsets.find((h) => h.id === HANDSET_ID) };
    };
    const engineer = await list('eng');
    expect(engineer.handset).toMatchObject({ number: HANDSET_NUMBER, untested: true, lastRejection: { reason: 'sender-mismatch', at: expect.any(String), detail: '' } });
    expect(engineer.text).not.toContain(SENDER);
    expect(engineer.text).not.toContain(SENDER.slice(-4));

    const supervisor = await list('super');
    expect(supervisor.handset).toMatchObject({
      lastRejection: { reason: 'sender-mismatch', detail: `${HANDSET_ID} is registered with ${HANDSET_NUMBER}, the SMS came from ${SENDER}` },
    });

    // The same registration again changes nothing and answers with the handset as it is: reduced the same way.
    const r = registration();
    const again = await server.app.inject({
      method: 'POST', url: '/api/handsets', headers: { cookie: await login('eng') },
      payload: { id: r.id, number: r.number, imei: r.imei, key: Buffer.from(r.key).toString('hex'), force: r.force, victim: r.victim, testMode: r.testMode },
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ handset: { id: HANDSET_ID, lastRejection: { reason: 'sender-mismatch', detail: '' } } });
    expect(again.body).not.toContain(SENDER);
  });
});
