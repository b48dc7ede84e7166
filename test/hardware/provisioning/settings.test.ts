import { describe, expect, it } from 'vitest';
import { compareReadBack, settingsToWrite } from '../../../hardware/provisioning/settings.js';
import { parseGatewayUrl } from '../../../hardware/provisioning/gateway-client.js';

describe('settings written by provision and the read-back check', () => {
  it('writes the gateway number first, then the options, then --set extras', () => {
    const r = settingsToWrite({ gatewayNumber: '+441632960001', emergency: '112', interval: 20, force: 'Met', testMode: true, extra: [['Tracking', '30']] });
    expect(r).toEqual({ ok: true, settings: [['gateway', '+441632960001'], ['emergency', '112'], ['interval', '20'], ['force', 'Met'], ['testmode', '1'], ['tracking', '30']] });
    expect(settingsToWrite({ gatewayNumber: '1', force: 'x', testMode: false, extra: [['fleetkey', 'ab']] })).toMatchObject({ ok: false });
    expect(settingsToWrite({ gatewayNumber: '1', force: 'x', testMode: false, extra: [['interval', '60']] })).toMatchObject({ ok: false, reason: expect.stringMatching(/--interval/) });
  });

  it('compares what the handset lists with what was written, and that the fleet key did not move', () => {
    const written = [['gateway', '+441632960001'], ['interval', '020'], ['force', 'Met']] as const;
    const read = new Map([['gateway', '+441632960001'], ['interval', '20'], ['force', 'Met'], ['fleetkey', 'ab']]);
    expect(compareReadBack(written, read, 'ab')).toEqual([]);
    expect(compareReadBack(written, new Map([...read, ['force', 'Met Police']]), 'ab')).toEqual([{ name: 'force', wrote: 'Met', read: 'Met Police' }]);
    expect(compareReadBack(written, new Map([['gateway', '+441632960001']]), undefined).map((m) => m.name)).toEqual(['interval', 'force']);
    expect(compareReadBack(written, new Map([...read, ['fleetkey', 'cd']]), 'ab')).toEqual([{ name: 'fleetkey', wrote: 'ab', read: 'cd' }]);
  });

  it('a phone number in national format reads back as written (not as a number without its leading 0)', () => {
    // The handset keeps numbers as text (gateway 01632960001 lists as "01632960001"); comparing them as
    // decimals made every provisioning with a national-format --gateway-number or --emergency fail its
    // read-back and wipe the handset, with "wrote "01632960001", read "01632960001"".
    const written = [['gateway', '01632960001'], ['emergency', '0999'], ['interval', '030']] as const;
    const read = new Map([['gateway', '01632960001'], ['emergency', '0999'], ['interval', '30']]);
    expect(compareReadBack(written, read, undefined)).toEqual([]);
    expect(compareReadBack([['gateway', '01632960001']], new Map([['gateway', '1632960001']]), undefined)).toEqual([{ name: 'gateway', wrote: '01632960001', read: '1632960001' }]);
  });

  it('a --set the console line cannot carry is a usage error up front, not "an unexpected answer from the handset"', () => {
    // It was refused only at the config step, after the gateway login and the handset's authentication, as
    // "unexpected answer from the handset ... check that <port> is a TecSOS handset" (exit 9).
    const plan = (extra: [string, string][]) => settingsToWrite({ gatewayNumber: '+441632960001', force: 'Met', testMode: false, extra });
    expect(plan([['gesture', 'ho"ld']])).toMatchObject({ ok: false, reason: expect.stringMatching(/--set gesture: the value cannot hold/) });
    expect(plan([['gesture', 'a\tb']])).toMatchObject({ ok: false });
    expect(plan([['hold_ms', '500']])).toMatchObject({ ok: false, reason: expect.stringMatching(/--set hold_ms: not a setting name/) });
    expect(plan([['Hold', '500'], ['gesture', 'presses']])).toMatchObject({ ok: true });
  });

  it('takes only a gateway base URL', () => {
    expect(parseGatewayUrl('http://127.0.0.1:8080')).toEqual({ ok: true, origin: 'http://127.0.0.1:8080' });
    expect(parseGatewayUrl('https://gw.example/')).toEqual({ ok: true, origin: 'https://gw.example' });
    for (const bad of ['gw.example', 'ftp://gw', 'http://u:p@gw', 'http://gw/api', 'http://gw/?x=1']) expect(parseGatewayUrl(bad).ok, bad).toBe(false);
  });
});
