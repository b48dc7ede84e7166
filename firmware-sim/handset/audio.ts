// The handset's own audio path during a call. On an alarm call the loudspeaker is muted (nothing the call
// handler says may be heard in the room) and the microphone is open (the handler listens in).

/** Audio hardware the firmware switches. */
export interface Audio {
  setSpeakerMuted(muted: boolean): void;
  setMicrophoneOpen(open: boolean): void;
}

/** A simulated audio path that remembers its state. */
export class SimAudio implements Audio {
  speakerMuted = false;
  microphoneOpen = false;

  setSpeakerMuted(muted: boolean): void {
    this.speakerMuted = muted;
  }

  setMicrophoneOpen(open: boolean): void {
    this.microphoneOpen = open;
  }
}
