// The simulated GSM network's public surface.
export { SimNetwork, type SimNetworkOptions, type AttachOptions } from './sim-network.js';
export { VirtualPhone, type PhoneEvent } from './virtual-phone.js';
export { AmlPhone, AML_DEFAULT_DELAY_MS, type AmlOptions, type AmlPosition } from './aml-phone.js';
export type { NetworkEvent, CallState, SmsDropReason, SmsDeferReason } from './events.js';
export type * from './terminal.js';
export { type RadioState, type Registration, cregStatus, inService, NO_SERVICE } from './radio.js';
export { RELIABLE, type SmsRules, type SmsRoute } from './sms-rules.js';
export { normaliseNumber, parseDialString, addressType } from './msisdn.js';
