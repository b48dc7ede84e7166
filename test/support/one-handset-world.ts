// One registered handset, booted, in firmware-sim's bank of `lines` modems; the whole gateway in this process
// (store, core, HTTP + WebSocket) on its real lines (gateway/lines) over tcp:// to the bank modems; a handler
// signed in with a console at `live`; everything on the bank's one ManualClock. The world the system tests of
// modems and commands under faults start from (modem-faults, command-faults, owed-stop).
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { ModemLineBank } from '../../gateway/lines/index.js';
import { tmpDir } from '../gateway/core/harness.js';
import { connect } from '../gateway/http/ws-client.js';
import { fleet, manifestOf } from './fleet.js';
import { login } from './gateway-process.js';
import { startInProcessGateway } from './in-process-gateway.js';
import { simHandset, startSimBank } from './sim-bank.js';

export async function startOneHandsetWorld(lines: number) {
  const dir = tmpDir();
  const [h] = fleet(1);
  const handsetEntry = h!;
  const manifest = path.join(dir, 'registry.json');
  writeFileSync(manifest, manifestOf([handsetEntry]));
  const bank = await startSimBank({ lines, seed: 17 });
  const gw = await startInProcessGateway({
    db: path.join(dir, 'tecsos.db'), clock: bank.clock, registry: manifest,
    lineBank: (_specs, listener) => new ModemLineBank({ specs: bank.specs, listener, clock: bank.clock, random: bank.random }),
  });
  let ws: ReturnType<typeof connect> | undefined;
  const close = async () => {
    ws?.ws.close();
    await gw.close();
    await bank.close();
  };
  try {
    await bank.until('lines up', () => gw.app.lines.health().every((x) => x.state === 'up'), 30_000);
    const handset = simHandset(bank, handsetEntry, bank.numbers[0] as string, { intervalS: 10 });
    await handset.firmware.boot();
    await bank.step(10_000);
    const cookie = await login(gw.url);
    const client = (ws = connect(`${gw.url.replace('http', 'ws')}/ws?since=0`, { cookie, origin: gw.url }));
    await client.until((m) => m['type'] === 'live');
    /** The console's messages of a type, in order. */
    const of = (t: string) => client.messages.filter((m) => m['type'] === t);
    /** The handler's POST, with simulated time moving while it waits (the modems answer on it). */
    const post = async (p: string, body: unknown = {}): Promise<Response> => {
      const answered = { done: false };
      const stepping = (async () => {
        for (let i = 0; i < 500 && !answered.done; i++) await bank.step(20);
      })();
      try {
        return await fetch(`${gw.url}${p}`, { method: 'POST', headers: { cookie, origin: gw.url, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      } finally {
        answered.done = true;
        await stepping;
      }
    };
    return { h: handsetEntry, bank, gw, handset, cookie, ws: client, of, post, close };
  } catch (e) {
    await close();
    throw e;
  }
}
