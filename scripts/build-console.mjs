// Builds the call handler's console (issue 6) into console/dist/:
//   app.js            console/main.ts bundled and minified by esbuild (ES2022, one file, with a source map)
//   app.css           console/styles.css + Leaflet's stylesheet
//   index.html        console/index.html
//   basemap-uk.json   the offline basemap: the British Isles and the Channel Islands as GeoJSON, extracted at
//                     build time from Natural Earth 1:10m (world-atlas 2.0.2 countries-10m.json, TopoJSON,
//                     converted with topojson-client 3.1.0) and rounded to 4 decimals (about 10 m), so the
//                     browser loads ~0.1 MB instead of the 3.6 MB world file.
//
// Usage: node scripts/build-console.mjs [--outdir DIR] [--dev]   (--dev: no minification)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Natural Earth ISO 3166 numeric ids kept in the basemap. */
const BASEMAP_COUNTRIES = new Map([
  ['826', 'United Kingdom'],
  ['372', 'Ireland'],
  ['833', 'Isle of Man'],
  ['832', 'Jersey'],
  ['831', 'Guernsey'],
]);

/**
 * zod's `z` namespace re-exports every locale (`z.locales`, ~260 kB minified) although only English is used:
 * the bundle gets a locales module with English alone. Error messages are unchanged (zod configures `en`).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

function round(coords) {
  return typeof coords[0] === 'number' ? [Math.round(coords[0] * 1e4) / 1e4, Math.round(coords[1] * 1e4) / 1e4] : coords.map(round);
}

/** The UK and Ireland from world-atlas as a GeoJSON FeatureCollection (name property only). */
export function ukBasemap() {
  const file = path.join(ROOT, 'node_modules', 'world-atlas', 'countries-10m.json');
  const topology = JSON.parse(readFileSync(file, 'utf8'));
  const all = feature(topology, topology.objects.countries);
  const features = all.features
    .filter((f) => BASEMAP_COUNTRIES.has(String(f.id)))
    .map((f) => ({
      type: 'Feature',
      id: String(f.id),
      properties: { name: BASEMAP_COUNTRIES.get(String(f.id)) },
      geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
    }));
  if (features.length !== BASEMAP_COUNTRIES.size) {
    throw new Error(`basemap: expected ${BASEMAP_COUNTRIES.size} countries in ${file}, found ${features.length}`);
  }
  return {
    type: 'FeatureCollection',
    source: 'Natural Earth 1:10m admin 0 countries via world-atlas 2.0.2 (public domain)',
    features,
  };
}

/** Builds everything into outdir; resolves with the sizes written (bytes). */
export async function buildConsole({ outdir = path.join(ROOT, 'console', 'dist'), minify = true } = {}) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: path.join(ROOT, 'console', 'main.ts') },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify,
    sourcemap: true,
    outdir,
    legalComments: 'linked',
    plugins: [zodEnglishOnly],
    logLevel: 'warning',
  });
  await build({
    entryPoints: { app: path.join(ROOT, 'console', 'app.css') },
    bundle: true,
    minify,
    outdir,
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    logLevel: 'warning',
  });
  copyFileSync(path.join(ROOT, 'console', 'index.html'), path.join(outdir, 'index.html'));
  const basemap = JSON.stringify(ukBasemap());
  writeFileSync(path.join(outdir, 'basemap-uk.json'), basemap);
  const size = (f) => readFileSync(path.join(outdir, f)).length;
  return { outdir, js: size('app.js'), css: size('app.css'), basemap: basemap.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--outdir');
  const outdir = i >= 0 ? path.resolve(args[i + 1]) : undefined;
  const sizes = await buildConsole({ ...(outdir && { outdir }), minify: !args.includes('--dev') });
  process.stdout.write(`console built in ${sizes.outdir}: app.js ${sizes.js} B, app.css ${sizes.css} B, basemap-uk.json ${sizes.basemap} B\n`);
}
