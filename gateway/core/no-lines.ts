// The line bank of a gateway configured with no modem lines (`lines: []`: a console-only or replay
// deployment, a demo without modems): nothing rings, nothing is received, and every request to a modem
// answers that there is none, so the actions report `unavailable` instead of pretending.
import type { LineActionResult, LineBank, LineHealthReport } from '../lines/types.js';

const NONE: LineActionResult = { ok: false, detail: 'no modem lines configured' };

export class NoLines implements LineBank {
  async answer(): Promise<LineActionResult> {
    return NONE;
  }
  async hangUp(): Promise<LineActionResult> {
    return NONE;
  }
  async sendSms() {
    return { ...NONE, lineId: null };
  }
  health(): LineHealthReport[] {
    return [];
  }
  /** No line to check a call answered before a restart: the core ends it (gateway-core.ts adoptAnsweredCalls). */
  adoptAnswered(): boolean {
    return false;
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}
