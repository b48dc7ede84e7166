// TRK: a tracking fix while an alarm runs; joins the handset's open incident (the fix carries it).
import type { ReportEventHandler } from './types.js';

export const trk: ReportEventHandler = () => ({});
