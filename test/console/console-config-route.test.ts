// GET /api/console-config: the tile server for the console's map (TECSOS_TILES), for signed-in users only.
import { describe, expect, it } from 'vitest';
import { tilesAttributionFromEnv, tilesFromEnv } from '../../gateway/http/routes/console-config-routes.js';
import { openTestStore, startGateway, FakeCore, PASSWORD } from '../browser/console-gateway.js';

describe('TECSOS_TILES', () => {
  it('accepts https and same-origin templates with {z}/{x}/{y}; none set is undefined', () => {
    expect(tilesFromEnv({})).toBeUndefined();
    expect(tilesFromEnv({ TECSOS_TILES: '' })).toBeUndefined();
    expect(tilesFromEnv({ TECSOS_TILES: 'https://tiles.example.org/{z}/{x}/{y}.png' })).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
    expect(tilesFromEnv({ TECSOS_TILES: '/tiles/{z}/{x}/{y}.png' })).toBe('/tiles/{z}/{x}/{y}.png');
  });

  it('refuses at start-up what the console could not use, naming the variable', () => {
    for (const bad of ['http://tiles.example.org/{z}/{x}/{y}.png', 'https://tiles.example.org/tile.png', '//evil.example/{z}/{x}/{y}', 'javascript:alert(1)']) {
      expect(() => tilesFromEnv({ TECSOS_TILES: bad }), bad).toThrow(/TECSOS_TILES/);
    }
  });

  it('TECSOS_TILES_ATTRIBUTION: one line of text, or a start refused naming it', () => {
    expect(tilesAttributionFromEnv({})).toBeUndefined();
    expect(tilesAttributionFromEnv({ TECSOS_TILES_ATTRIBUTION: ' © OpenStreetMap contributors ' })).toBe('© OpenStreetMap contributors');
    expect(() => tilesAttributionFromEnv({ TECSOS_TILES_ATTRIBUTION: 'a\u0007b' })).toThrow(/TECSOS_TILES_ATTRIBUTION/);
  });

  it('GET /api/console-config answers signed-in users only', async () => {
    const { store } = await openTestStore();
    const gw = await startGateway(store, new FakeCore(), '/nonexistent');
    try {
      const anon = await gw.server.app.inject({ method: 'GET', url: '/api/console-config' });
      expect(anon.statusCode).toBe(401);
      const login = await gw.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'handler', password: PASSWORD } });
      const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
      const r = await gw.server.app.inject({ method: 'GET', url: '/api/console-config', headers: { cookie } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ tiles: process.env['TECSOS_TILES'] ?? null });
    } finally {
      await gw.close();
      await store.close();
    }
  });
});
