// A route the simulated person walks (or drives): waypoints, each with the speed of the leg that starts
// there, plus windows of time where the sky is hidden (tunnels, underground car parks).
//
//   { "waypoints": [ {"lat":51.5007,"lon":-0.1246,"speedMps":1.4}, {"lat":51.5014,"lon":-0.1419,"speedMps":0} ],
//     "fixLoss": [ {"fromS":120,"toS":180} ] }
//
// Leg i runs from waypoint i to waypoint i+1 at waypoint i's speed; after the last waypoint the person
// stays there. Times in `fixLoss` are seconds since the route started (scenario files are written in
// time, which is how a trainer thinks: "at two minutes she goes into the underground").

import { bearingDeg, distanceM, interpolate, type LatLon } from './geo.js';

/** One point of a route and the speed of the leg that leaves it. */
export interface Waypoint extends LatLon {
  readonly speedMps: number;
}

/** A window without a fix, seconds since the route started, [fromS, toS). */
export interface FixLoss {
  readonly fromS: number;
  readonly toS: number;
}

/** A route as written in a scenario file. */
export interface RouteSpec {
  readonly waypoints: readonly Waypoint[];
  readonly fixLoss?: readonly FixLoss[];
}

/** Where the person is at one moment. */
export interface RoutePosition extends LatLon {
  readonly speedMps: number;
  /** Course over ground, degrees true (the last leg's course once stopped). */
  readonly courseDeg: number;
  /** False inside a fix-loss window. */
  readonly skyVisible: boolean;
}

interface Leg {
  readonly from: Waypoint;
  readonly to: Waypoint;
  readonly startS: number;
  readonly durationS: number;
  readonly courseDeg: number;
}

/** A validated route; construction throws a message a person can act on for an impossible route. */
export class Route {
  private readonly legs: Leg[] = [];
  readonly durationS: number;

  constructor(readonly spec: RouteSpec) {
    const w = spec.waypoints;
    if (w.length === 0) throw new Error('route: at least one waypoint is needed');
    w.forEach((p, i) => {
      if (!(Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180)) throw new Error(`route: waypoint ${i} is not a position: ${p.lat},${p.lon}`);
      if (i < w.length - 1 && !(p.speedMps > 0)) throw new Error(`route: waypoint ${i} needs a speed > 0 m/s to reach waypoint ${i + 1}`);
    });
    let t = 0;
    for (let i = 0; i + 1 < w.length; i++) {
      const from = w[i] as Waypoint;
      const to = w[i + 1] as Waypoint;
      const durationS = distanceM(from, to) / from.speedMps;
      this.legs.push({ from, to, startS: t, durationS, courseDeg: bearingDeg(from, to) });
      t += durationS;
    }
    this.durationS = t;
    for (const f of spec.fixLoss ?? []) if (!(f.toS > f.fromS)) throw new Error(`route: fix loss ${f.fromS}..${f.toS} s ends before it starts`);
  }

  /** The position `s` seconds after the route started (before 0: the first waypoint). */
  at(s: number): RoutePosition {
    const skyVisible = !(this.spec.fixLoss ?? []).some((f) => s >= f.fromS && s < f.toS);
    const leg = this.legs.find((l) => s < l.startS + l.durationS);
    if (leg === undefined) {
      const last = this.spec.waypoints[this.spec.waypoints.length - 1] as Waypoint;
      const course = this.legs.length > 0 ? (this.legs[this.legs.length - 1] as Leg).courseDeg : 0;
      return { lat: last.lat, lon: last.lon, speedMps: 0, courseDeg: course, skyVisible };
    }
    const f = Math.max(0, (s - leg.startS) / leg.durationS);
    const p = interpolate(leg.from, leg.to, f);
    const courseDeg = f > 0 ? bearingDeg(p, leg.to) : leg.courseDeg;
    return { lat: p.lat, lon: p.lon, speedMps: s < 0 ? 0 : leg.from.speedMps, courseDeg, skyVisible };
  }
}
