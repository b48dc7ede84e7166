// The audible TecSOS alert: a two-tone beep from Web Audio (no sound file), repeated every
// ALARM_REPEAT_MS while `shouldSound()` is true (a TecSOS call ringing or a TecSOS alarm not acknowledged).
// Browsers allow audio only after a user gesture; the login click is one, and the console resumes the
// AudioContext on every click and key press so that a sleeping context wakes up. A console opened with a
// session it already had (a reload, a browser restarted overnight) has had no gesture: its context stays
// suspended and every beep is silent. `audible` says so, and the console shows it (app.ts) until a click.

export const ALARM_REPEAT_MS = 1500;

export class Alarm {
  private ctx: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Beeps played so far (shown as `data-beeps` on <body> for tests and diagnostics). */
  beeps = 0;
  private lastBeepAt = 0;

  constructor(
    private readonly shouldSound: () => boolean,
    private readonly onBeep: (n: number) => void,
    /** Told whenever `audible` may have changed. */
    private readonly onAudio: () => void = () => undefined,
  ) {}

  /** Whether a beep is heard: the browser lets the page play sound (not before a user gesture). */
  get audible(): boolean {
    return this.ctx?.state === 'running';
  }

  /** Call from a user gesture: creates or resumes the AudioContext. */
  unlock(): void {
    try {
      if (this.ctx === null) {
        this.ctx = new AudioContext();
        this.ctx.addEventListener('statechange', this.onAudio);
      }
      if (this.ctx.state === 'suspended') void this.ctx.resume().then(this.onAudio, this.onAudio);
    } catch {
      this.ctx = null;
    }
    this.onAudio();
  }

  start(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), ALARM_REPEAT_MS);
    this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Beeps now if the alarm should sound and the last beep is at least one repeat old (call after any event). */
  tick(): void {
    const now = Date.now();
    if (!this.shouldSound() || now - this.lastBeepAt < ALARM_REPEAT_MS - 100) return;
    this.lastBeepAt = now;
    this.beep();
  }

  private beep(): void {
    this.beeps++;
    this.onBeep(this.beeps);
    const ctx = this.ctx;
    if (ctx === null) return;
    const t = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.3, t + i * 0.25 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.25 + 0.22);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.25);
      osc.stop(t + i * 0.25 + 0.23);
    }
  }
}
