// Track export for evidence: GeoJSON (RFC 7946) and GPX 1.1, with a SHA-256 of the exact bytes sent.
//
// GeoJSON: a FeatureCollection of one LineString (the path, [lon, lat] order) and one Point per fix with its
// time, accuracy, speed, course and source:
//   {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":
//   [[-0.1276,51.5072],...]},"properties":{"incidentId":"I1",...}},{"type":"Feature","geometry":{"type":"Point",
//   "coordinates":[-0.1276,51.5072]},"properties":{"time":"2026-01-01T00:00:00.000Z","accuracyM":12,...}}]}
//   The path is a LineString only with two or more fixes (RFC 7946 3.1.4 needs two positions); with fewer
//   its geometry is null (3.2: an unlocated Feature), so strict readers (GEOS: "too few points") accept it.
//   Unknown accuracy, speed and course are null; `gpsStatus` is `invalid` for a position the GPS did not call
//   a fix (RMC status V: a last-known position), null for AML.
// GPX: <gpx version="1.1"><trk><trkseg><trkpt lat=".." lon=".."><ele/><time/><desc/><src/><fix/></trkpt>...
//   Numbers in plain decimal notation (xsd:decimal has no exponent: JavaScript writes 1.67e-7 for a fix 2 cm
//   from the equator), longitude 180 as -180 (GPX's longitudeType excludes 180; the same meridian), unknown
//   values left out, `<fix>none</fix>` for a GPS position that was no fix. Checked with xmllint against the
//   GPX 1.1 schema (test/gateway/http/track-export.test.ts).
// Points are written oldest first, as the projection gives them; nothing is rounded (evidence).
import { createHash } from 'node:crypto';
import type { Track, TrackPoint } from './actions.js';

/** The body and its digest headers. */
export type ExportedFile = { readonly body: Buffer; readonly contentType: string; readonly headers: Record<string, string> };

function iso(at: string | number): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(at);
}

function position(p: TrackPoint): number[] {
  return p.altitudeM === undefined ? [p.longitude, p.latitude] : [p.longitude, p.latitude, p.altitudeM];
}

/** `Digest` (RFC 3230), `Repr-Digest` (RFC 9530) and `X-Content-SHA256` (hex) for a body. */
export function digestHeaders(body: Buffer): Record<string, string> {
  const sha = createHash('sha256').update(body).digest();
  return {
    digest: `sha-256=${sha.toString('base64')}`,
    'repr-digest': `sha-256=:${sha.toString('base64')}:`,
    'x-content-sha256': sha.toString('hex'),
  };
}

function file(body: string, contentType: string, filename: string): ExportedFile {
  const bytes = Buffer.from(body, 'utf8');
  return {
    body: bytes,
    contentType,
    headers: { ...digestHeaders(bytes), 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
  };
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The track as a GeoJSON FeatureCollection. */
export function trackToGeoJson(track: Track, exportedAt: number): ExportedFile {
  const points = track.points.map((p) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: position(p) },
    properties: {
      time: iso(p.at),
      ...(p.accuracyM !== undefined && { accuracyM: p.accuracyM }),
      ...(p.speedKmh !== undefined && { speedKmh: p.speedKmh }),
      ...(p.courseDeg !== undefined && { courseDeg: p.courseDeg }),
      ...(p.source !== undefined && { source: p.source }),
      ...(p.gpsStatus !== undefined && { gpsStatus: p.gpsStatus }),
    },
  }));
  const line = {
    type: 'Feature',
    geometry: track.points.length >= 2 ? { type: 'LineString', coordinates: track.points.map(position) } : null,
    properties: {
      incidentId: track.incidentId,
      ...(track.handsetId !== undefined && { handsetId: track.handsetId }),
      fixes: track.points.length,
      exportedAt: new Date(exportedAt).toISOString(),
    },
  };
  const body = JSON.stringify({ type: 'FeatureCollection', features: [line, ...points] });
  return file(body, 'application/geo+json', `incident-${safeName(track.incidentId)}-track.geojson`);
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A number as xsd:decimal text: the shortest digits that read back as the same double (String(n)), with an
 * exponent (1.6666666666666668e-7, 5e-324, 1e+21) shifted into place: 0.00000016666666666666668.
 */
export function decimal(n: number): string {
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const intLength = (dot < 0 ? mantissa.length : dot) + Number(s.slice(e + 1));
  const text =
    intLength <= 0 ? `0.${'0'.repeat(-intLength)}${digits}`
    : intLength >= digits.length ? digits + '0'.repeat(intLength - digits.length)
    : `${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
  return (negative ? '-' : '') + text;
}

/** GPX longitude: -180 <= lon < 180, so 180 (the same meridian as -180) is written -180. */
function gpxLongitude(lon: number): string {
  return decimal(lon === 180 ? -180 : lon);
}

function describe(p: TrackPoint): string {
  const parts: string[] = [];
  // `!= null`: the projection gives null for a value not known (an AML fix has no course; HDOP 0 no accuracy).
  if (p.accuracyM != null) parts.push(`accuracy ${p.accuracyM} m`);
  if (p.speedKmh != null) parts.push(`speed ${p.speedKmh} km/h`);
  if (p.courseDeg != null) parts.push(`course ${p.courseDeg} deg`);
  return parts.join(', ');
}

/** The track as GPX 1.1 (one trk, one trkseg). */
export function trackToGpx(track: Track, exportedAt: number): ExportedFile {
  const name = `TecSOS incident ${track.incidentId}`;
  const pts = track.points.map((p) => {
    const desc = describe(p);
    return (
      `      <trkpt lat="${decimal(p.latitude)}" lon="${gpxLongitude(p.longitude)}">` +
      (p.altitudeM != null ? `<ele>${decimal(p.altitudeM)}</ele>` : '') +
      `<time>${xml(iso(p.at))}</time>` +
      (desc !== '' ? `<desc>${xml(desc)}</desc>` : '') +
      (p.source != null ? `<src>${xml(p.source)}</src>` : '') +
      (p.gpsStatus === 'invalid' ? '<fix>none</fix>' : '') +
      `</trkpt>`
    );
  });
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="TecSOS Gateway" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${xml(name)}</name><time>${new Date(exportedAt).toISOString()}</time></metadata>`,
    `  <trk><name>${xml(name)}</name>${track.handsetId !== undefined ? `<src>${xml(`handset ${track.handsetId}`)}</src>` : ''}`,
    '    <trkseg>',
    ...pts,
    '    </trkseg>',
    '  </trk>',
    '</gpx>',
    '',
  ].join('\n');
  return file(body, 'application/gpx+xml', `incident-${safeName(track.incidentId)}-track.gpx`);
}
