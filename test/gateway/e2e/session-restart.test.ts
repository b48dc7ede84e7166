// Sessions survive a gateway restart (gateway/auth/sessions.ts, the store's `sessions` table): a console that
// was signed in goes on with the same cookie against the restarted gateway, for REST and for the WebSocket;
// a session that logged out, or whose user was disabled, does not come back; the database holds only the
// cookie's SHA-256. The whole gateway in this process on a file store, stopped and started again.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { login } from '../../support/gateway-process.js';
import { startInProcessGateway, type InProcessGateway } from '../../support/in-process-gateway.js';
import { tmpDir } from '../core/harness.js';
import { connect } from '../http/ws-client.js';

const me = (gw: InProcessGateway, cookie: string) => fetch(`${gw.url}/api/me`, { headers: { cookie } }).then((r) => r.status);
const post = (gw: InProcessGateway, url: string, cookie: string) =>
  fetch(`${gw.url}${url}`, { method: 'POST', headers: { cookie, origin: gw.url, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status);

describe('sessions across a gateway restart', () => {
  it('keeps signed-in consoles signed in; logged-out and disabled sessions stay ended', async () => {
    const db = path.join(tmpDir(), 'tecsos.db');
    let gw = await startInProcessGateway({ db });
    let handler: string, supervisor: string, engineer: string;
    try {
      handler = await login(gw.url, 'handler');
      supervisor = await login(gw.url, 'supervisor');
      const leaving = await login(gw.url, 'supervisor');
      engineer = await login(gw.url, 'engineer');
      expect(await me(gw, handler)).toBe(200);
      expect(await post(gw, '/api/logout', leaving)).toBe(204);
      expect(await post(gw, '/api/users/engineer/disable', supervisor)).toBe(200);
      expect(await me(gw, engineer)).toBe(401);
      // What the database holds: digests, never a cookie value.
      const raw = new Database(db, { readonly: true });
      try {
        const rows = raw.prepare('SELECT digest, username FROM sessions ORDER BY username').all() as { digest: string; username: string }[];
        expect(rows.map((r) => r.username)).toEqual(['handler', 'supervisor']);
        for (const c of [handler, supervisor, leaving, engineer]) expect(JSON.stringify(rows)).not.toContain(c.split('=')[1]);
      } finally {
        raw.close();
      }
      await gw.close();

      gw = await startInProcessGateway({ db });
      expect(await me(gw, handler)).toBe(200);
      expect(await me(gw, supervisor)).toBe(200);
      expect(await me(gw, leaving)).toBe(401);
      expect(await me(gw, engineer)).toBe(401);
      // The console's WebSocket resumes with the cookie it already has.
      const ws = connect(`${gw.url.replace('http', 'ws')}/ws?since=0`, { cookie: handler, origin: gw.url });
      await ws.until((m) => m['type'] === 'live');
      expect(ws.opened).toBe(true);
      ws.ws.close();
      // Re-enabling the engineer does not revive the session the disable ended.
      expect(await post(gw, '/api/users/engineer/enable', supervisor)).toBe(200);
      expect(await me(gw, engineer)).toBe(401);
    } finally {
      await gw.close();
    }
  });
});
