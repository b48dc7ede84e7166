// The evidence exports as other programs read them: GPX validated by xmllint against the GPX 1.1 schema
// (test/fixtures/gpx/gpx-1.1.xsd; libxml2-utils from scripts/system-deps.sh), GeoJSON checked against RFC 7946's
// rules. Track points are shaped as gateway/core/views.ts hands them over: unknown accuracy, speed and course
// are null (an AML fix has no course; HDOP 0 gives no accuracy), and `gpsStatus` says whether the GPS called
// it a fix.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Track, TrackPoint } from '../../../gateway/http/actions.js';
import { trackToGeoJson, trackToGpx } from '../../../gateway/http/track-export.js';
import { tmpDirFor } from '../../support/tmp.js';

const XSD = path.resolve(import.meta.dirname, '../../fixtures/gpx/gpx-1.1.xsd');
const tmp = tmpDirFor('track-export');
afterAll(() => tmp.remove());

/** xmllint's verdict on a GPX body: '' when it validates, else its complaints. */
function schemaErrors(body: Buffer): string {
  const file = path.join(tmp.dir, 'track.gpx');
  fs.writeFileSync(file, body);
  try {
    execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: 'pipe' });
    return '';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  }
}

const point = (p: Partial<TrackPoint> & Record<string, unknown>): TrackPoint =>
  ({ at: '2026-11-23T06:00:00.000Z', latitude: 53.8, longitude: -1.55, accuracyM: 4.5, courseDeg: 87, speedKmh: 2.22, source: 'gps', gpsStatus: 'valid', ...p }) as TrackPoint;

const trkpts = (gpx: string) => [...gpx.matchAll(/<trkpt lat="([^"]+)" lon="([^"]+)">(.*?)<\/trkpt>/g)];

describe('GPX export', () => {
  it('an AML fix (no course) and a GPS fix with HDOP 0 (no accuracy): nothing says "null"', () => {
    const track: Track = {
      incidentId: 'INC-000001',
      handsetId: 'TS-00001',
      points: [point({ accuracyM: null, courseDeg: null } as never), point({ source: 'aml', accuracyM: 50, courseDeg: null, speedKmh: undefined, gpsStatus: null } as never)],
    };
    const gpx = trackToGpx(track, 0).body.toString('utf8');
    expect(gpx).not.toContain('null');
    const pts = trkpts(gpx);
    expect(pts[0]?.[3]).toContain('<desc>speed 2.22 km/h</desc>');
    expect(pts[1]?.[3]).toContain('<desc>accuracy 50 m</desc>');
    expect(schemaErrors(trackToGpx(track, 0).body)).toBe('');
  });

  it('coordinates within 20 cm of the equator or Greenwich are plain decimals, exactly the stored numbers', () => {
    // A u-blox receiver writes 5 decimals of minutes: 0000.00001,N is 1.6666666666666668e-7 degrees as a double.
    const lat = 0.00001 / 60;
    const track: Track = { incidentId: 'INC-000001', points: [point({ latitude: lat, longitude: -lat, altitudeM: 1e-7 })] };
    const file = trackToGpx(track, 0);
    expect(schemaErrors(file.body)).toBe('');
    const [m] = trkpts(file.body.toString('utf8'));
    expect([Number(m?.[1]), Number(m?.[2])]).toEqual([lat, -lat]);
    expect(m?.[1]).toBe('0.00000016666666666666668');
  });

  it('a fix on the antimeridian (longitude 180, which GPX excludes) is written as -180, the same meridian', () => {
    const track: Track = { incidentId: 'INC-000001', points: [point({ latitude: 10, longitude: 180 }), point({ latitude: -10, longitude: -180 })] };
    const file = trackToGpx(track, 0);
    expect(schemaErrors(file.body)).toBe('');
    expect(trkpts(file.body.toString('utf8')).map((m) => [m[1], m[2]])).toEqual([['10', '-180'], ['-10', '-180']]);
  });

  it('a position the GPS did not call a fix (RMC status V) says so: <fix>none</fix>', () => {
    const track: Track = { incidentId: 'INC-000001', points: [point({}), point({ latitude: -33.8688, longitude: 151.2093, gpsStatus: 'invalid' })] };
    const file = trackToGpx(track, 0);
    expect(schemaErrors(file.body)).toBe('');
    const pts = trkpts(file.body.toString('utf8'));
    expect(pts[0]?.[3]).not.toContain('<fix>');
    expect(pts[1]?.[3]).toContain('<src>gps</src><fix>none</fix>');
  });

  it('any finite coordinate written is schema-valid decimal text that reads back as the same double', () => {
    fc.assert(
      fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), (lat, lon) => {
        const gpx = trackToGpx({ incidentId: 'I', points: [point({ latitude: lat, longitude: lon })] }, 0).body.toString('utf8');
        const [m] = trkpts(gpx);
        expect(m?.[1]).toMatch(/^-?\d+(\.\d+)?$/);
        expect(m?.[2]).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(m?.[1])).toBe(lat === 0 ? 0 : lat);
        expect(Number(m?.[2])).toBe(lon === 180 ? -180 : lon === 0 ? 0 : lon);
      }),
    );
  });
});

describe('GeoJSON export (RFC 7946)', () => {
  it('the path is a LineString only with two or more fixes (RFC 7946 3.1.4); with fewer its geometry is null', () => {
    for (const points of [[], [point({})]]) {
      const g = JSON.parse(trackToGeoJson({ incidentId: 'INC-000002', handsetId: 'TS-00002', points }, 0).body.toString('utf8'));
      expect(g.features[0]).toMatchObject({ type: 'Feature', geometry: null, properties: { incidentId: 'INC-000002', fixes: points.length } });
      expect(g.features).toHaveLength(1 + points.length);
    }
    const two = JSON.parse(trackToGeoJson({ incidentId: 'I', points: [point({}), point({ latitude: 53.9 })] }, 0).body.toString('utf8'));
    expect(two.features[0].geometry).toEqual({ type: 'LineString', coordinates: [[-1.55, 53.8], [-1.55, 53.9]] });
  });

  it('each Point says whether the GPS called it a fix (gpsStatus; null for AML), no crs member', () => {
    const track: Track = { incidentId: 'I', points: [point({}), point({ gpsStatus: 'invalid' }), point({ source: 'aml', gpsStatus: null } as never)] };
    const g = JSON.parse(trackToGeoJson(track, 0).body.toString('utf8'));
    expect(g.features.slice(1).map((f: { properties: { gpsStatus: unknown } }) => f.properties.gpsStatus)).toEqual(['valid', 'invalid', null]);
    expect(g.crs).toBeUndefined();
  });
});
