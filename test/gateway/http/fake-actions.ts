// A fake gateway core implementing GatewayActions: a few incidents with a track, calls, handsets; every
// command is recorded so that tests can check what the edge passed on.
import type {
  AcknowledgeRequest, ActionResult, Actor, CallView, CloseIncidentRequest, GatewayActions, GatewayHealth, HandsetCommand,
  HandsetHealth, HandsetRegistration, HandsetView, IncidentFilter, IncidentView, Track,
} from '../../../gateway/http/actions.js';

export type Recorded = { readonly method: string; readonly args: readonly unknown[] };

export class FakeActions implements GatewayActions {
  readonly calls: Recorded[] = [];
  linesUp = 1;
  linesTotal = 1;
  private seq = 1000;
  readonly incidents = new Map<string, IncidentView & { state: string }>([
    ['inc-1', { id: 'inc-1', state: 'open', handsetId: 'TS-0001', victim: { name: 'A. Victim', safetyNotes: 'abuser has keys' } }],
    ['inc-2', { id: 'inc-2', state: 'closed', handsetId: 'TS-0002' }],
  ]);
  readonly tracks = new Map<string, Track>([
    ['inc-1', {
      incidentId: 'inc-1',
      handsetId: 'TS-0001',
      points: [
        { at: '2026-11-23T06:00:00.000Z', latitude: 51.5072, longitude: -0.1276, accuracyM: 12, speedKmh: 4.5, courseDeg: 90, source: 'gps' },
        { at: '2026-11-23T06:00:30.000Z', latitude: 51.50735, longitude: -0.12701, accuracyM: 8, altitudeM: 21.5, source: 'gps' },
        { at: Date.UTC(2026, 10, 23, 6, 1), latitude: 51.5076, longitude: -0.1265, accuracyM: 150, source: 'aml' },
      ],
    }],
  ]);
  readonly handsets: HandsetView[] = [];

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private command(method: string, id: string, exists: boolean, ...args: unknown[]): ActionResult {
    this.record(method, id, ...args);
    if (!exists) return { ok: false, error: 'not_found', message: `no ${id}` };
    const inc = this.incidents.get(id);
    if (inc?.state === 'closed') return { ok: false, error: 'conflict', message: `incident ${id} is closed` };
    return { ok: true, seq: ++this.seq };
  }

  async listIncidents(filter: IncidentFilter): Promise<readonly IncidentView[]> {
    this.record('listIncidents', filter);
    return [...this.incidents.values()].filter((i) => filter.state === 'all' || i.state === filter.state);
  }
  async getIncident(id: string): Promise<IncidentView | undefined> {
    this.record('getIncident', id);
    return this.incidents.get(id);
  }
  async track(id: string): Promise<Track | undefined> {
    this.record('track', id);
    return this.tracks.get(id);
  }
  async acknowledge(id: string, request: AcknowledgeRequest, by: Actor): Promise<ActionResult> {
    return this.command('acknowledge', id, this.incidents.has(id), request, by);
  }
  async close(id: string, request: CloseIncidentRequest, by: Actor): Promise<ActionResult> {
    return this.command('close', id, this.incidents.has(id), request, by);
  }
  async stopTracking(id: string, by: Actor): Promise<ActionResult> {
    return this.command('stopTracking', id, this.incidents.has(id), by);
  }
  async locate(id: string, by: Actor): Promise<ActionResult> {
    if (id === 'inc-nolines') {
      this.record('locate', id, by);
      return { ok: false, error: 'unavailable', message: 'no free line to send the SMS' };
    }
    return this.command('locate', id, this.incidents.has(id), by);
  }
  async listCalls(): Promise<readonly CallView[]> {
    return [{ id: 'c1', state: 'ringing' }];
  }
  async answer(id: string, by: Actor): Promise<ActionResult> {
    return this.command('answer', id, id === 'c1', by);
  }
  async hangup(id: string, by: Actor): Promise<ActionResult> {
    return this.command('hangup', id, id === 'c1', by);
  }
  async registerHandset(r: HandsetRegistration, by: Actor): Promise<ActionResult<{ readonly handset: HandsetView }>> {
    this.record('registerHandset', r, by);
    if (this.handsets.some((h) => h.id === r.id) && !r.replace) return { ok: false, error: 'conflict', message: `${r.id} is registered` };
    const handset: HandsetView = {
      id: r.id, number: r.number, imei: r.imei, force: r.force, testMode: r.testMode, registeredAt: '2026-11-23T06:00:00.000Z',
      batteryPct: null, csq: null, lastReportAt: null, lastHeartbeatAt: null,
    };
    this.handsets.push(handset);
    return { ok: true, seq: ++this.seq, handset };
  }
  async listHandsets(): Promise<readonly HandsetView[]> {
    return this.handsets;
  }
  async handsetHealth(): Promise<readonly HandsetHealth[]> {
    return [{ id: 'TS-0001', problem: 'low-battery', batteryPct: 9 }];
  }
  async sendCommand(id: string, command: HandsetCommand, by: Actor): Promise<ActionResult> {
    return this.command('sendCommand', id, id === 'TS-0001', command, by);
  }
  health(): GatewayHealth {
    return { linesUp: this.linesUp, linesTotal: this.linesTotal, storeOk: true };
  }
}
