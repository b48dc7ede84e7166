// The simulated GPS receiver: walks a Route on the injected clock and emits real NMEA 0183 once a second
// (RMC then GGA, plus whatever else the encoder adds), like a u-blox or SiRF module on a UART.
//
// - Cold start: no fix for `coldStartS` after the first power-on (default 30 s); later power-ons are hot
//   starts (`hotStartS`, default 2 s), as a receiver with valid ephemeris would do.
// - Fix loss: inside a route's fixLoss window, RMC status V and GGA quality 0 with empty position.
// - Noise: optional seeded Gaussian noise of `noiseM` metres (1 sigma) per axis, reproducible by seed.
// - Satellites and HDOP: plausible values from the seeded source (7..12 used, HDOP 0.7..1.5 with a fix).
// The raw stream (`onSentence`) is what AT+TSGPS=1 and gpsd see; the firmware reads `best()`.

import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import type { Random } from '../../protocol/time/random.js';
import type { EpochEncoder, GpsEpoch } from './epoch.js';
import { offsetM } from './geo.js';
import { nmeaEpochEncoder } from './nmea-output.js';
import { Route, type RouteSpec } from './route.js';

/** Sentences of one epoch, as the firmware puts them into a report (no CR/LF). */
export interface GpsReading {
  readonly epoch: GpsEpoch;
  readonly rmc: string;
  readonly gga: string;
}

/** The hardware interface the firmware uses. */
export interface Gps {
  powerOn(): void;
  powerOff(): void;
  readonly isOn: boolean;
  /** The newest reading with a fix; else the newest reading (status V); undefined before any epoch. */
  best(): GpsReading | undefined;
  /** The newest reading, fix or not. */
  latest(): GpsReading | undefined;
  /** Called after each epoch's sentences went out. */
  onEpoch(listener: (reading: GpsReading) => void): () => void;
  /** Raw output, one sentence per call, with CR LF (diagnostics, gpsd). */
  onSentence(listener: (sentence: string) => void): () => void;
}

/** Receiver behaviour; see the file comment for the defaults. */
export interface SimGpsOptions {
  readonly coldStartS?: number;
  readonly hotStartS?: number;
  readonly noiseM?: number;
  readonly altitudeM?: number;
}

function gaussian(random: Random): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

function stripCrLf(s: string): string {
  return s.replace(/\r?\n$/, '');
}

/** The simulated receiver (see the file comment). */
export class SimGps implements Gps {
  private route: Route | undefined;
  private routeStartMs = 0;
  private on = false;
  private everOn = false;
  private acquireAtMs = 0;
  private timer: TimerHandle | undefined;
  private newest: GpsReading | undefined;
  private newestFix: GpsReading | undefined;
  private readonly epochListeners = new Set<(r: GpsReading) => void>();
  private readonly sentenceListeners = new Set<(s: string) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly options: SimGpsOptions = {},
    private readonly encode: EpochEncoder = nmeaEpochEncoder,
  ) {}

  /** Starts (or replaces) the route the person walks, from `startMs` (default now). */
  setRoute(route: Route | RouteSpec, startMs = this.clock.now()): void {
    this.route = route instanceof Route ? route : new Route(route);
    this.routeStartMs = startMs;
  }

  /** Where the person really is now (the truth the receiver's output is compared with). */
  truth(atMs = this.clock.now()) {
    return this.route?.at((atMs - this.routeStartMs) / 1000);
  }

  get isOn(): boolean {
    return this.on;
  }

  powerOn(): void {
    if (this.on) return;
    this.on = true;
    const startS = this.everOn ? (this.options.hotStartS ?? 2) : (this.options.coldStartS ?? 30);
    this.everOn = true;
    // The last fix is kept across power cycles: "the best fix it has", its time showing its age.
    this.acquireAtMs = this.clock.now() + startS * 1000;
    this.scheduleNext();
  }

  powerOff(): void {
    this.on = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  best(): GpsReading | undefined {
    return this.newestFix ?? this.newest;
  }

  latest(): GpsReading | undefined {
    return this.newest;
  }

  onEpoch(listener: (reading: GpsReading) => void): () => void {
    this.epochListeners.add(listener);
    return () => this.epochListeners.delete(listener);
  }

  onSentence(listener: (sentence: string) => void): () => void {
    this.sentenceListeners.add(listener);
    return () => this.sentenceListeners.delete(listener);
  }

  /** Epochs fall on whole UTC seconds, like a real receiver's time pulse. */
  private scheduleNext(): void {
    const now = this.clock.now();
    const next = Math.floor(now / 1000) * 1000 + 1000;
    this.timer = this.clock.setTimeout(() => this.tick(), next - now);
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.on) return;
    const epoch = this.solve(this.clock.now());
    const sentences = this.encode(epoch);
    const rmc = sentences.find((s) => s.slice(3, 6) === 'RMC');
    const gga = sentences.find((s) => s.slice(3, 6) === 'GGA');
    for (const s of sentences) for (const l of this.sentenceListeners) l(s);
    if (rmc !== undefined && gga !== undefined) {
      const reading: GpsReading = { epoch, rmc: stripCrLf(rmc), gga: stripCrLf(gga) };
      this.newest = reading;
      if (epoch.fix) this.newestFix = reading;
      for (const l of this.epochListeners) l(reading);
    }
    this.scheduleNext();
  }

  private solve(timeMs: number): GpsEpoch {
    const p = this.route?.at((timeMs - this.routeStartMs) / 1000);
    const fix = p !== undefined && p.skyVisible && timeMs >= this.acquireAtMs;
    const altitudeM = this.options.altitudeM ?? 40;
    if (!fix) {
      return { timeMs, fix: false, lat: 0, lon: 0, altitudeM: 0, speedMps: 0, courseDeg: 0, satellites: 0, hdop: 0 };
    }
    const noise = this.options.noiseM ?? 0;
    const pos = noise > 0 ? offsetM(p, gaussian(this.random) * noise, gaussian(this.random) * noise) : p;
    return {
      timeMs,
      fix: true,
      lat: pos.lat,
      lon: pos.lon,
      altitudeM,
      speedMps: p.speedMps,
      courseDeg: p.courseDeg,
      satellites: this.random.int(7, 12),
      hdop: Math.round((0.7 + this.random.next() * 0.8) * 10) / 10,
    };
  }
}
