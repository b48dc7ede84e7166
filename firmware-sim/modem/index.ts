// The simulated modem's public surface.
export { SimModem, type SimModemOptions, type TranscriptEntry } from './sim-modem.js';
export type { BatteryStatus, SimState, ModemCall, ModemContext, CommandHandler, CommandTable } from './context.js';
export { DEFAULT_IDENTITY, type ModemIdentity } from './identity.js';
export { MessageStore, type StoredMessage, type MessageStat } from './message-store.js';
export type { ModemSettings, StorageName, NewMessageIndication } from './settings.js';
export { COMMANDS } from './command-table.js';
