// One second of the simulated receiver's view: what it would put into that second's RMC/GGA/GSA/GSV.

/** The receiver's solution at one epoch (1 Hz). Position fields are meaningful only when `fix` is true. */
export interface GpsEpoch {
  /** UTC of the epoch, ms since the Unix epoch (a whole second). */
  readonly timeMs: number;
  readonly fix: boolean;
  readonly lat: number;
  readonly lon: number;
  readonly altitudeM: number;
  readonly speedMps: number;
  readonly courseDeg: number;
  /** Satellites used in the solution (0 without a fix). */
  readonly satellites: number;
  /** Horizontal dilution of precision (0 when unknown). */
  readonly hdop: number;
}

/** Turns one epoch into the sentences the receiver emits for it, each with checksum and CR LF. */
export type EpochEncoder = (epoch: GpsEpoch) => string[];
