import { describe, expect, it } from 'vitest';
import { receiveAlike, receives, seesWhole, viewFor } from '../../../gateway/fanout/audience.js';
import { toWire } from '../../../gateway/fanout/wire.js';

describe('audience', () => {
  it('gives call handlers and supervisors the operational events, engineers the technical ones', () => {
    for (const t of ['call.ringing', 'incident.opened', 'fix', 'report.accepted']) {
      expect(receives('call-handler', t), t).toBe(true);
      expect(receives('supervisor', t), t).toBe(true);
      expect(receives('engineer', t), t).toBe(false);
    }
    // Engineers send TSC1 commands on the bench (POST /api/handsets/:id/command): they see what became of them.
    for (const t of ['line.health', 'handset.status', 'handset.health', 'command.sent', 'command.result']) expect(receives('engineer', t), t).toBe(true);
    for (const r of ['call-handler', 'supervisor', 'engineer'] as const) expect(receives(r, 'user.created')).toBe(false);
  });

  it('strips secrets for everyone at any depth; engineers get only the fields kept for them (engineer-fields.test.ts)', () => {
    const e = { v: 1 as const, seq: 1, at: '2026-11-23T06:00:00.000Z', type: 'handset.status', handsetId: 'TS-1', key: 'abc', extra: { victim: { name: 'A' }, lat: 51, ok: 1 } };
    expect(viewFor('supervisor', e)).toEqual({ v: 1, seq: 1, at: e.at, type: 'handset.status', handsetId: 'TS-1', extra: { victim: { name: 'A' }, lat: 51, ok: 1 } });
    expect(viewFor('engineer', e)).toEqual({ v: 1, seq: 1, at: e.at, type: 'handset.status', handsetId: 'TS-1' });
  });

  it('drops a secret or victim field whatever its case, also once a thousand made-up field names have been seen', () => {
    const at = '2026-11-23T06:00:00.000Z';
    const noise: Record<string, number> = {};
    for (let i = 0; i < 1500; i++) noise[`Field${i}`] = i;
    expect(viewFor('supervisor', { v: 1, seq: 1, at, type: 'handset.status', ...noise })).toEqual({ v: 1, seq: 1, at, type: 'handset.status', ...noise });
    expect(viewFor('engineer', { v: 1, seq: 1, at, type: 'handset.status', ...noise })).toEqual({ v: 1, seq: 1, at, type: 'handset.status' });
    const e = { v: 1 as const, seq: 2, at, type: 'handset.status', handsetId: 'TS-1', PassWordHash: 'x', HmacKey: 'k', Victim: { Name: 'A' }, LAT: 51, ok: 1 };
    expect(viewFor('supervisor', e)).toEqual({ v: 1, seq: 2, at, type: 'handset.status', handsetId: 'TS-1', Victim: { Name: 'A' }, LAT: 51, ok: 1 });
    expect(viewFor('engineer', e)).toEqual({ v: 1, seq: 2, at, type: 'handset.status', handsetId: 'TS-1' });
    expect((viewFor('supervisor', { ...e, Field1499: { sessionId: 's', Address: 'a', fine: true } }) as Record<string, unknown>)['Field1499']).toEqual({ Address: 'a', fine: true });
    // Behind the kept fields, victim fields are still dropped from whatever a kept field holds (off-schema).
    expect((viewFor('engineer', { ...e, handsetId: { sessionId: 's', Address: 'a', fine: true } }) as Record<string, unknown>)['handsetId']).toEqual({ fine: true });
  });

  it('tells from the stored payload alone whether viewFor gives a role nothing, the wire message whole, or something else', () => {
    const at = '2026-11-23T06:00:00.000Z';
    const payloads: { type: string; [k: string]: unknown }[] = [
      { type: 'fix', at, incidentId: 'INC-000001', handsetId: 'TS-0001', lat: 53.7, lon: -1.5 },
      { type: 'handset.status', at, handsetId: 'TS-0001', batteryPct: 80 },
      { type: 'handset.status', at, handsetId: 'TS-0001', extra: { victim: { name: 'A' } } },
      { type: 'handset.status', at, handsetId: 'TS-0001', nested: [{ deep: { Token: 't' } }] },
      { type: 'line.health', at, lineId: 'line1', state: 'up' },
      { type: 'report.rejected', at, reason: 'bad-mac', claimedHandsetId: 'TS-0001', counter: 3, fromNumber: '+447700900123', receivedAt: at, detail: 'x' },
      { type: 'report.rejected', at, reason: 'unknown-sender', claimedHandsetId: null, counter: null, fromNumber: '+447700900123', receivedAt: at, detail: 'x' },
      { type: 'incident.opened', at, incidentId: 'INC-000002', victim: { name: 'B' } },
      { type: 'user.created', at, username: 'u', passwordHash: 'h' },
      { type: 'audit.entry', at, actor: 'a' },
      { type: 'security.alert', at, detail: 'd', session: 's' },
    ];
    for (const role of ['call-handler', 'supervisor', 'engineer'] as const) {
      for (const p of payloads) {
        const wire = toWire({ seq: 9, storedAt: 0, redacted: false, event: p as { type: string; at: string } });
        const view = viewFor(role, wire);
        const whole = seesWhole(role, p);
        const what = `${role} ${p.type} ${JSON.stringify(p)}`;
        // false: not whole, viewFor decides (a reduced view may be nothing at all).
        if (whole === undefined) expect(view, what).toBeUndefined();
        else expect(view === wire, what).toBe(whole);
      }
    }
  });

  it('follows the table of docs/api.md "Who sees what", row by row (CH, SV, EN)', () => {
    const rows: [type: string, ch: boolean, sv: boolean, en: boolean][] = [
      ['call.ringing', true, true, false],
      ['incident.opened', true, true, false],
      ['fix', true, true, false],
      ['fix.later', true, true, false],
      ['report.accepted', true, true, false],
      ['something.unlisted', true, true, false],
      ['report.rejected', true, true, true],
      ['line.health', true, true, true],
      ['handset.status', true, true, true],
      ['command.result', true, true, true],
      ['security.alert', false, true, false], // no fields reviewed for engineers: none of it (engineer-fields.test.ts)
      ['audit.read', false, true, false],
      ['user.created', false, false, false],
    ];
    for (const [type, ch, sv, en] of rows) {
      expect([receives('call-handler', type), receives('supervisor', type), receives('engineer', type)], type).toEqual([ch, sv, en]);
    }
  });

  it('removes every secret field for every role and every victim field for engineers: any case, any depth, in arrays', () => {
    const secrets = ['password', 'passwordHash', 'key', 'hmacKey', 'secret', 'token', 'session', 'sessionId'];
    const victim = ['victim', 'name', 'notes', 'safetyNotes', 'risk', 'riskMarkers', 'address', 'fix', 'fixes', 'position', 'location', 'lat', 'lon', 'lng', 'latitude', 'longitude', 'track', 'aml', 'text'];
    const at = '2026-11-23T06:00:00.000Z';
    for (const field of [...secrets, ...victim]) {
      const isSecret = secrets.includes(field);
      for (const spelt of [field, field.toUpperCase()]) {
        // At the top, or only three levels down inside an array.
        const top = { v: 1 as const, seq: 1, at, type: 'handset.status', handsetId: 'TS-1', [spelt]: 'x', deep: [{ a: { b: [{ ok: 1 }] } }] };
        const deep = { v: 1 as const, seq: 1, at, type: 'handset.status', handsetId: 'TS-1', deep: [{ a: { b: [{ [spelt]: 'x', ok: 1 }] } }] };
        const kept = { v: 1, seq: 1, at, type: 'handset.status', handsetId: 'TS-1', deep: [{ a: { b: [{ ok: 1 }] } }] };
        for (const e of [top, deep]) {
          // `deep` is no field of handset.status kept for engineers: they get none of it.
          expect(viewFor('engineer', e), `engineer: ${spelt}`).toEqual({ v: 1, seq: 1, at, type: 'handset.status', handsetId: 'TS-1' });
          for (const role of ['call-handler', 'supervisor'] as const) expect(viewFor(role, e), `${role}: ${spelt}`).toEqual(isSecret ? kept : e);
        }
        // Inside a kept field (off-schema: an object where the schema has a value), at depth.
        const inKept = { v: 1 as const, seq: 1, at, type: 'handset.health', handsetId: 'TS-1', detail: [{ a: { b: [{ [spelt]: 'x', ok: 1 }] } }] };
        expect(viewFor('engineer', inKept), `engineer, in a kept field: ${spelt}`).toEqual({ ...inKept, detail: [{ a: { b: [{ ok: 1 }] } }] });
      }
    }
  });

  it('says two roles receive alike only when they get the same types with the same fields removed', () => {
    expect(receiveAlike('call-handler', 'supervisor', ['call.ringing', 'fix', 'handset.status'])).toBe(true);
    expect(receiveAlike('call-handler', 'supervisor', ['call.ringing', 'audit.read'])).toBe(false); // a supervisor's own type
    expect(receiveAlike('engineer', 'supervisor', ['line.health'])).toBe(false); // the same type, but engineers lose victim fields
    expect(receiveAlike('engineer', 'engineer', ['line.health', 'fix'])).toBe(true);
  });

  it('puts the envelope on a stored event: v, seq, ISO at, and the payload cannot override them', () => {
    const w = toWire({ seq: 7, storedAt: 0, redacted: false, event: { type: 'fix', at: Date.UTC(2026, 0, 1), v: 2, seq: 99, lat: 1 } });
    expect(w).toEqual({ v: 1, seq: 7, at: '2026-01-01T00:00:00.000Z', type: 'fix', lat: 1 });
  });
});
