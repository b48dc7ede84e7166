// The firmware's states. One is current at any time; docs/firmware-sim-handset.md has the diagram.
//
//   idle | low-battery | provisioning | locked-out   resting states: an alarm gesture works in all of them
//   alarm        the gesture was seen: the ALM report is being sent, the dial comes next
//   calling      ATD<emergency>; sent, waiting for an answer; BUSY / NO CARRIER / no network -> redial with backoff
//   in-call      the control room answered: speaker muted, microphone open; TRK reports continue
//   tracking     after the call (or while redials wait), TRK every N s until the tracking time ends or STOP

export const HANDSET_STATES = ['idle', 'alarm', 'calling', 'in-call', 'tracking', 'low-battery', 'provisioning', 'locked-out'] as const;

export type HandsetState = (typeof HANDSET_STATES)[number];
