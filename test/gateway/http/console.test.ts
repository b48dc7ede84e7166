// The console's files served at `/` from a directory: index.html, assets, nothing outside the directory.
import { mkdtempSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from './harness.js';

let edge: Edge;
let consoleDir = '';
beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-console-'));
  consoleDir = dir;
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>TecSOS</title>');
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dir, '.env'), 'SECRET=1');
  symlinkSync('/etc/passwd', path.join(dir, 'assets', 'passwd'));
  edge = await startEdge({ consoleDir: dir });
});
afterAll(async () => {
  await edge.close();
});

const get = (url: string) => edge.server.app.inject({ method: 'GET', url });

describe('console files', () => {
  it('serves index.html at / with a strict CSP, and assets by path', async () => {
    const index = await get('/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>TecSOS</title>');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['cache-control']).toBe('no-cache');
    const js = await get('/assets/app.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('an asset is revalidated on every load (no-cache, ETag): after an upgrade the new build is served at once, unchanged files as 304', async () => {
    // Before: assets were `public, max-age=300` under the same names every build (console/dist/app.js), so a reload
    // after an upgrade ran the old console's code for up to 5 minutes.
    const first = await get('/assets/app.js');
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers['etag'];
    expect(typeof etag).toBe('string');
    const again = await edge.server.app.inject({ method: 'GET', url: '/assets/app.js', headers: { 'if-none-match': String(etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const file = path.join(consoleDir, 'assets', 'app.js');
    const built = new Date(Date.UTC(2026, 10, 24, 9, 0, 0));
    writeFileSync(file, 'console.log("new build")');
    utimesSync(file, built, built);
    const upgraded = await edge.server.app.inject({ method: 'GET', url: '/assets/app.js', headers: { 'if-none-match': String(etag) } });
    expect(upgraded.statusCode).toBe(200);
    expect(upgraded.body).toBe('console.log("new build")');
    expect(upgraded.headers['etag']).not.toBe(etag);
    // A build copied with its times kept (cp -p, tar): the same size and modification time, other content.
    const tag = String(upgraded.headers['etag']);
    writeFileSync(file, 'console.log("old build")');
    utimesSync(file, built, built);
    const copied = await edge.server.app.inject({ method: 'GET', url: '/assets/app.js', headers: { 'if-none-match': tag } });
    expect(copied.statusCode).toBe(200);
  });

  it('serves nothing outside the directory, no dot-files, no directories', async () => {
    for (const url of ['/../../etc/passwd', '/assets/%2e%2e/%2e%2e/etc/passwd', '/.env', '/assets', '/assets/passwd', '/missing.js']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toContain('root:');
    }
    expect((await get('/%E0%A4%A')).statusCode).toBe(400);
  });

  it('leaves the API and /healthz alone: unknown API paths are JSON 404s', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    const r = await get('/api/nothing');
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toBe('not-found');
  });
});
