// The self-test's GPS part, live: AT+TSGPS=1 streams the receiver's raw NMEA, decoded with protocol/nmea;
// each GGA gives fix quality, satellites in use and HDOP, shown as they change, until the first fix or the
// time is up, then AT+TSGPS=0. Only fix quality is kept or shown, never a position.

import type { ConsoleReply, HandsetConsole } from './handset-console.js';

/** The receiver's state from its latest GGA. */
export type GpsStatus = {
  readonly fix: boolean;
  /** GGA quality: 0 none, 1 GPS, 2 DGPS, ... */
  readonly quality: number;
  /** Satellites used; NaN when the receiver does not say. */
  readonly satellites: number;
  /** Horizontal dilution of precision; NaN when absent (no fix). */
  readonly hdop: number;
  /** Sentences decoded so far (all types). */
  readonly sentences: number;
};

export type GpsWatchResult = { readonly status: GpsStatus | undefined; readonly fix: boolean; readonly rejected: number };

/** Streams until a fix or `timeoutMs`; `onStatus` gets every GGA's status. */
export async function watchGps(
  usb: HandsetConsole,
  timeoutMs: number,
  onStatus: (s: GpsStatus) => void,
  sleep: (ms: number) => Promise<void>,
  now: () => number,
): Promise<ConsoleReply<GpsWatchResult>> {
  let status: GpsStatus | undefined;
  let sentences = 0;
  const stream = await usb.streamGps((s) => {
    sentences++;
    if (s.type !== 'GGA') return;
    status = { fix: s.positionValid, quality: s.fixQuality, satellites: s.satellitesUsed, hdop: s.hdop, sentences };
    onStatus(status);
  });
  if (!stream.ok) return stream;
  const deadline = now() + timeoutMs;
  while (status?.fix !== true && now() < deadline && usb.isOpen) await sleep(100);
  const stats = stream.value.decoder.stats;
  const stop = await stream.value.stop();
  if (!stop.ok) return stop;
  return { ok: true, value: { status, fix: status?.fix === true, rejected: stats.badChecksum + stats.framing } };
}
