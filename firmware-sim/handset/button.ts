// The one alarm button: raw contact edges in, debounced presses and alarm gestures out.
//
// Debounce: a mechanical contact bounces for a few milliseconds on every press and release. A level is
// accepted only once it has been stable for `debounceMs` (default 30 ms), so bounces shorter than that are
// ignored and a press is timed from its accepted edge to its accepted release (both late by the same 30 ms).
// Gestures (DESIGN.md): `hold` fires while the button is still held, as soon as it has been down `holdMs`
// (the victim need not let go); `presses` fires on the Nth short press whose presses all fall within
// `pressWindowMs` of the first.

import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import type { Gesture } from './config.js';

/** What the button reports. */
export type ButtonEvent =
  | { readonly type: 'alarm'; readonly gesture: Gesture; readonly atMs: number }
  | { readonly type: 'press'; readonly durationMs: number; readonly atMs: number };

/** How the button turns presses into an alarm. */
export interface ButtonOptions {
  readonly gesture: Gesture;
  readonly holdMs: number;
  readonly presses: number;
  readonly pressWindowMs: number;
  /** Edges shorter than this are contact bounce. */
  readonly debounceMs?: number;
}

/** The hardware interface the firmware listens to. */
export interface Button {
  onEvent(listener: (e: ButtonEvent) => void): void;
  /** Changes the gesture settings (after a config commit). */
  configure(options: ButtonOptions): void;
}

/** A simulated button: a test or the emulator page drives the raw contact with {@link setContact}. */
export class SimButton implements Button {
  private readonly listeners: Array<(e: ButtonEvent) => void> = [];
  private raw = false;
  private stable = false;
  private pressedAt = 0;
  private holdFired = false;
  private debounceTimer: TimerHandle | undefined;
  private holdTimer: TimerHandle | undefined;
  private pressTimes: number[] = [];

  constructor(
    private readonly clock: Clock,
    private options: ButtonOptions,
  ) {}

  onEvent(listener: (e: ButtonEvent) => void): void {
    this.listeners.push(listener);
  }

  configure(options: ButtonOptions): void {
    this.options = options;
    this.pressTimes = [];
  }

  /** Raw contact level: true = closed (pressed). Every call is one edge, bounces included. */
  setContact(closed: boolean): void {
    if (closed === this.raw) return;
    this.raw = closed;
    if (this.debounceTimer !== undefined) this.clock.clearTimeout(this.debounceTimer);
    this.debounceTimer = this.clock.setTimeout(() => this.settle(), this.options.debounceMs ?? 30);
  }

  /** Convenience for scripts: press now, release after `ms` (clean edges). */
  hold(ms: number): void {
    this.setContact(true);
    this.clock.setTimeout(() => this.setContact(false), ms);
  }

  private settle(): void {
    this.debounceTimer = undefined;
    if (this.raw === this.stable) return;
    this.stable = this.raw;
    const now = this.clock.now();
    if (this.stable) this.pressed(now);
    else this.released(now);
  }

  private pressed(now: number): void {
    this.pressedAt = now;
    this.holdFired = false;
    if (this.options.gesture === 'hold') {
      this.holdTimer = this.clock.setTimeout(() => {
        this.holdTimer = undefined;
        this.holdFired = true;
        this.emit({ type: 'alarm', gesture: 'hold', atMs: this.clock.now() });
      }, this.options.holdMs);
    }
  }

  private released(now: number): void {
    if (this.holdTimer !== undefined) this.clock.clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const durationMs = now - this.pressedAt;
    this.emit({ type: 'press', durationMs, atMs: now });
    if (this.options.gesture !== 'presses' || this.holdFired) return;
    this.pressTimes.push(this.pressedAt);
    this.pressTimes = this.pressTimes.filter((t) => now - t <= this.options.pressWindowMs);
    if (this.pressTimes.length >= this.options.presses) {
      this.pressTimes = [];
      this.emit({ type: 'alarm', gesture: 'presses', atMs: now });
    }
  }

  private emit(e: ButtonEvent): void {
    for (const l of this.listeners) l(e);
  }
}
