// Sound, light and vibration: the only ways the handset can draw attention to itself. In silent mode
// (the default) the firmware must never call any of them: an abuser must not notice an alarm. Tests
// assert that with the recording part below.

/** What a cue means to the person holding the handset. */
export type Cue = 'alarm-sent' | 'call-connected' | 'low-battery' | 'test-alarm' | 'provisioning';

/** Output hardware. */
export interface Indicator {
  sound(cue: Cue): void;
  light(cue: Cue): void;
  vibrate(cue: Cue): void;
}

/** A simulated indicator that records every call, in order. */
export class RecordingIndicator implements Indicator {
  readonly calls: Array<{ readonly kind: 'sound' | 'light' | 'vibrate'; readonly cue: Cue }> = [];

  sound(cue: Cue): void {
    this.calls.push({ kind: 'sound', cue });
  }

  light(cue: Cue): void {
    this.calls.push({ kind: 'light', cue });
  }

  vibrate(cue: Cue): void {
    this.calls.push({ kind: 'vibrate', cue });
  }
}
