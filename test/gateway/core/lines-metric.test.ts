// `tecsos_lines` (GET /metrics) and /healthz tell the same story about a line registered for packet data
// only (gateway/lines/registration.ts: +CREG not registered, +CGREG registered): no 999 call reaches it.
// docs/operations.md's alert "tecsos_lines{state="up"} below the number of lines" must fire for it.
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { GatewayConfigSchema } from '../../../gateway/config/config.js';
import { startGateway } from '../../../gateway/core/gateway-app.js';
import type { LineHealthReport } from '../../../gateway/lines/types.js';
import { FakeLineBank, START, tmpDir } from './harness.js';

const line = (lineId: string, over: Partial<LineHealthReport>): LineHealthReport => ({ lineId, spec: `mock:${lineId}`, state: 'up', registration: 1, csq: 20, detail: '', ...over });

describe('modem lines in /metrics and /healthz', () => {
  it('a line registered for packet data only counts as unregistered, not up', async () => {
    const dir = tmpDir();
    const bank = new FakeLineBank();
    bank.reports = [line('L1', { registeredIn: 'ps' }), line('L2', { registeredIn: 'ps' }), line('L3', { state: 'down', registration: null })];
    const config = GatewayConfigSchema.parse({ db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', lines: ['mock:L1', 'mock:L2', 'mock:L3'] });
    const app = await startGateway({ config, env: {}, clock: new ManualClock(START), logger: pino({ level: 'silent' }), lineBank: () => bank });
    try {
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/^tecsos_lines\{state="up"\} 0$/m);
      expect(metrics).toMatch(/^tecsos_lines\{state="unregistered"\} 2$/m);
      expect(metrics).toMatch(/^tecsos_lines\{state="down"\} 1$/m);
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(503);

      // Registered for calls again: up in both.
      bank.reports = [line('L1', { registeredIn: 'cs' }), line('L2', { registeredIn: 'ps' }), line('L3', { state: 'down', registration: null })];
      expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/^tecsos_lines\{state="up"\} 1$/m);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
