// BOT: the handset booted (power on, watchdog). Status only.
import type { ReportEventHandler } from './types.js';

export const bot: ReportEventHandler = () => ({});
