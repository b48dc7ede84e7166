// What happens on the simulated network, as events a test (or the simulator's control API) observes.

import type { CallEndReason, NetworkSms } from './terminal.js';
import type { RadioState } from './radio.js';

/** The life of a call as the network sees it. */
export type CallState = 'setup' | 'queued' | 'alerting' | 'active' | 'ended';

/** Why the network dropped an SMS for good. */
export type SmsDropReason = 'loss' | 'expired' | 'unknown-destination';

/** Why the network is holding an SMS for a later attempt. */
export type SmsDeferReason = 'unreachable' | 'memory-full';

/** Every event carries the clock time it happened at (`at`, ms since epoch). */
export type NetworkEvent =
  | {
      readonly type: 'call';
      readonly at: number;
      readonly callId: number;
      readonly state: CallState;
      readonly from: string;
      /** The number as dialled (after withhold prefixes are stripped). */
      readonly dialled: string;
      /** The subscriber the call is offered to / connected with, once known. */
      readonly to: string | undefined;
      readonly emergency: boolean;
      readonly reason?: CallEndReason;
    }
  | { readonly type: 'sms-submitted'; readonly at: number; readonly sms: NetworkSms }
  | { readonly type: 'sms-delivered'; readonly at: number; readonly sms: NetworkSms }
  | { readonly type: 'sms-duplicated'; readonly at: number; readonly sms: NetworkSms }
  | { readonly type: 'sms-deferred'; readonly at: number; readonly sms: NetworkSms; readonly reason: SmsDeferReason }
  | { readonly type: 'sms-dropped'; readonly at: number; readonly sms: NetworkSms; readonly reason: SmsDropReason }
  | { readonly type: 'radio'; readonly at: number; readonly msisdn: string; readonly radio: RadioState };
