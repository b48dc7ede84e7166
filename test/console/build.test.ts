// The bundle script: one JS file, one CSS file, index.html and the offline basemap of the British Isles
// extracted from Natural Earth (world-atlas), small enough to load at once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let out: string;

beforeAll(() => {
  out = mkdtempSync(path.join(tmpdir(), 'tecsos-console-build-'));
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs'), '--outdir', out], { stdio: 'pipe' });
});

type Geo = { type: string; features: { id: string; properties: { name: string }; geometry: { type: string; coordinates: unknown } }[] };

function lonLats(c: unknown, acc: [number, number][] = []): [number, number][] {
  if (Array.isArray(c) && typeof c[0] === 'number') acc.push([c[0] as number, c[1] as number]);
  else if (Array.isArray(c)) for (const x of c) lonLats(x, acc);
  return acc;
}

describe('scripts/build-console.mjs', () => {
  it('writes index.html referring to app.js and app.css, with no inline script (the gateway CSP forbids it)', () => {
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('src="app.js"');
    expect(html).toContain('href="app.css"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(readFileSync(path.join(out, 'app.css'), 'utf8')).toContain('.leaflet-container');
  });

  it('bundles English only of zod\'s locales', () => {
    const js = readFileSync(path.join(out, 'app.js'), 'utf8');
    expect(js).toContain('Invalid input');
    // The German locale's wording must not be in the bundle.
    expect(js).not.toContain('Ungültige Eingabe');
  });

  it('extracts the UK, Ireland, the Isle of Man and the Channel Islands from Natural Earth, rounded', () => {
    const geo = JSON.parse(readFileSync(path.join(out, 'basemap-uk.json'), 'utf8')) as Geo;
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features.map((f) => f.properties.name).sort()).toEqual(['Guernsey', 'Ireland', 'Isle of Man', 'Jersey', 'United Kingdom']);
    const pts = geo.features.flatMap((f) => lonLats(f.geometry.coordinates));
    const lats = pts.map((p) => p[1]);
    const lons = pts.map((p) => p[0]);
    // The British Isles (Shetland to Jersey; Rockall, which Natural Earth gives the UK, at 13.7 W, to Kent).
    expect(Math.min(...lats)).toBeGreaterThan(49);
    expect(Math.max(...lats)).toBeLessThan(61);
    expect(Math.min(...lons)).toBeGreaterThan(-14);
    expect(Math.max(...lons)).toBeLessThan(2);
    // London's coast is there: some point within 0.5 degrees of the Thames estuary.
    expect(pts.some(([lo, la]) => Math.abs(lo - 0.9) < 0.5 && Math.abs(la - 51.5) < 0.5)).toBe(true);
    // Rounded to 4 decimals (about 10 m): the file stays small.
    const fourDecimals = (x: number) => Math.abs(x * 1e4 - Math.round(x * 1e4)) < 1e-6;
    expect(pts.every(([lo, la]) => fourDecimals(lo) && fourDecimals(la))).toBe(true);
  });
});
