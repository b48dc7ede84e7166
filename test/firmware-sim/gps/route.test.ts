import { describe, expect, it } from 'vitest';
import { distanceM } from '../../../firmware-sim/gps/geo.js';
import { Route } from '../../../firmware-sim/gps/route.js';

// Westminster Bridge -> Parliament Square -> St James's Park: a walk, then a car.
const A = { lat: 51.5007, lon: -0.1218, speedMps: 1.4 };
const B = { lat: 51.5005, lon: -0.1265, speedMps: 10 };
const C = { lat: 51.5025, lon: -0.1340, speedMps: 0 };

describe('Route', () => {
  const route = new Route({ waypoints: [A, B, C], fixLoss: [{ fromS: 100, toS: 160 }] });
  const leg1S = distanceM(A, B) / 1.4;
  const leg2S = distanceM(B, C) / 10;

  it('starts at the first waypoint and reaches each waypoint after distance / speed', () => {
    expect(distanceM(route.at(0), A)).toBeLessThan(0.01);
    expect(distanceM(route.at(leg1S), B)).toBeLessThan(0.01);
    expect(distanceM(route.at(leg1S + leg2S), C)).toBeLessThan(0.01);
    expect(route.durationS).toBeCloseTo(leg1S + leg2S, 6);
  });

  it('is at distance speed * t along a leg, on the line between its ends', () => {
    const p = route.at(60);
    expect(distanceM(A, p)).toBeCloseTo(84, 1);
    expect(distanceM(A, p) + distanceM(p, B)).toBeCloseTo(distanceM(A, B), 2);
    expect(p.speedMps).toBe(1.4);
    expect(route.at(leg1S + 1).speedMps).toBe(10);
  });

  it('stays at the last waypoint with speed 0 after the route ends', () => {
    const p = route.at(leg1S + leg2S + 3600);
    expect(distanceM(p, C)).toBeLessThan(0.01);
    expect(p.speedMps).toBe(0);
  });

  it('hides the sky inside a fix-loss window only', () => {
    expect(route.at(99.9).skyVisible).toBe(true);
    expect(route.at(100).skyVisible).toBe(false);
    expect(route.at(159.9).skyVisible).toBe(false);
    expect(route.at(160).skyVisible).toBe(true);
  });

  it('refuses impossible routes with a message a person can act on', () => {
    expect(() => new Route({ waypoints: [] })).toThrow(/at least one waypoint/);
    expect(() => new Route({ waypoints: [{ ...A, speedMps: 0 }, B] })).toThrow(/waypoint 0 needs a speed/);
    expect(() => new Route({ waypoints: [{ lat: 91, lon: 0, speedMps: 1 }] })).toThrow(/not a position/);
  });
});
