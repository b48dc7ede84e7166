// GET /favicon.ico, which every browser asks for: it was a 404 (logged) for each console opened.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeCore, openTestStore, startGateway } from '../browser/console-gateway.js';

describe('/favicon.ico', () => {
  it('is no content (204, kept a day) when the console has no icon, the file when it has one; other missing files stay 404', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-favicon-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
    const { store } = await openTestStore();
    const gw = await startGateway(store, new FakeCore(), dir);
    try {
      const none = await gw.server.app.inject({ method: 'GET', url: '/favicon.ico' });
      expect(none.statusCode).toBe(204);
      expect(none.headers['cache-control']).toBe('public, max-age=86400');
      expect(none.body).toBe('');
      expect((await gw.server.app.inject({ method: 'GET', url: '/nothing.ico' })).statusCode).toBe(404);
      writeFileSync(path.join(dir, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
      const icon = await gw.server.app.inject({ method: 'GET', url: '/favicon.ico' });
      expect(icon.statusCode).toBe(200);
      expect(icon.headers['content-type']).toBe('image/x-icon');
    } finally {
      await gw.close();
      await store.close();
    }
  });
});
