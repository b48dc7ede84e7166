// Great-circle geometry on a spherical Earth (mean radius, IUGG), enough for walking a route: over a few
// kilometres the sphere is within a fraction of a metre of WGS-84 for the distances compared here, and the
// tests compare positions the same code produced.

/** Mean Earth radius, metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

/** A point in decimal degrees (north and east positive). */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

const RAD = Math.PI / 180;

/** Haversine distance between two points, metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b, degrees true, 0 <= x < 360. */
export function bearingDeg(a: LatLon, b: LatLon): number {
  const φ1 = a.lat * RAD;
  const φ2 = b.lat * RAD;
  const dλ = (b.lon - a.lon) * RAD;
  const y = Math.sin(dλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(dλ);
  return ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
}

/** The point a fraction f (0..1) of the way from a to b along the great circle. */
export function interpolate(a: LatLon, b: LatLon, f: number): LatLon {
  const d = distanceM(a, b) / EARTH_RADIUS_M;
  if (d < 1e-12) return { lat: a.lat, lon: a.lon };
  const A = Math.sin((1 - f) * d) / Math.sin(d);
  const B = Math.sin(f * d) / Math.sin(d);
  const φ1 = a.lat * RAD;
  const φ2 = b.lat * RAD;
  const λ1 = a.lon * RAD;
  const λ2 = b.lon * RAD;
  const x = A * Math.cos(φ1) * Math.cos(λ1) + B * Math.cos(φ2) * Math.cos(λ2);
  const y = A * Math.cos(φ1) * Math.sin(λ1) + B * Math.cos(φ2) * Math.sin(λ2);
  const z = A * Math.sin(φ1) + B * Math.sin(φ2);
  return { lat: Math.atan2(z, Math.hypot(x, y)) / RAD, lon: Math.atan2(y, x) / RAD };
}

/** Moves a point by north/east offsets in metres (small offsets: GPS noise). */
export function offsetM(p: LatLon, northM: number, eastM: number): LatLon {
  return {
    lat: p.lat + northM / EARTH_RADIUS_M / RAD,
    lon: p.lon + eastM / (EARTH_RADIUS_M * Math.cos(p.lat * RAD)) / RAD,
  };
}
