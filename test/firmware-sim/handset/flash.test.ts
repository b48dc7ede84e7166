import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../firmware-sim/handset/config.js';
import { crc32 } from '../../../firmware-sim/handset/crc32.js';
import { HandsetFlash } from '../../../firmware-sim/handset/flash.js';
import { MemoryFlashDevice } from '../../../firmware-sim/handset/flash-device.js';
import { oldCounterRecord } from './old-flash-image.js';

const KEY = new Uint8Array(32).map((_, i) => i + 1);
const PROVISIONED = { config: { ...DEFAULT_CONFIG, gatewayNumber: '+447700900001', intervalS: 20 }, key: KEY };

describe('crc32', () => {
  it('has the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('HandsetFlash', () => {
  it('a blank chip boots with factory defaults, not flagged as corrupt', () => {
    const flash = new HandsetFlash(new MemoryFlashDevice());
    expect(flash.settings).toEqual({ config: DEFAULT_CONFIG, key: undefined });
    expect(flash.status).toEqual({ settingsCorrupted: false, countersCorrupted: false });
    expect(flash.reportCounter).toBe(0);
  });

  it('config, key and counters survive a reboot', () => {
    const device = new MemoryFlashDevice();
    const flash = new HandsetFlash(device);
    flash.commit(PROVISIONED);
    expect([flash.nextReportCounter(), flash.nextReportCounter(), flash.nextReportCounter()]).toEqual([1, 2, 3]);
    flash.saveCommandWindow({ highest: 41, bitmap: '0000000000000005', macs: [] });
    const after = new HandsetFlash(device);
    expect(after.settings.config).toEqual(PROVISIONED.config);
    expect(after.settings.key).toEqual(KEY);
    expect(after.reportCounter).toBe(3);
    expect(after.commandWindow).toEqual({ highest: 41, bitmap: '0000000000000005', macs: [] });
    expect(after.nextReportCounter()).toBe(4);
  });

  it('persists the counter before returning it (a write per report)', () => {
    const device = new MemoryFlashDevice();
    const flash = new HandsetFlash(device);
    const before = device.writes;
    const n = flash.nextReportCounter();
    expect(device.writes).toBe(before + 1);
    expect(new HandsetFlash(device).reportCounter).toBe(n);
  });

  it('a corrupted settings image is detected and falls back to factory defaults with a flag', () => {
    const device = new MemoryFlashDevice();
    new HandsetFlash(device).commit(PROVISIONED);
    device.corrupt('settings-a', 20);
    const flash = new HandsetFlash(device);
    expect(flash.status.settingsCorrupted).toBe(true);
    expect(flash.settings).toEqual({ config: DEFAULT_CONFIG, key: undefined });
  });

  it('a torn commit keeps the previous settings intact (never half-provisioned)', () => {
    const device = new MemoryFlashDevice();
    const first = new HandsetFlash(device);
    first.commit(PROVISIONED);
    device.tearNextWrite();
    first.commit({ config: { ...PROVISIONED.config, gatewayNumber: '+447700900999' }, key: new Uint8Array(32) });
    const after = new HandsetFlash(device);
    expect(after.status.settingsCorrupted).toBe(false);
    expect(after.settings.config.gatewayNumber).toBe('+447700900001');
    expect(after.settings.key).toEqual(KEY);
  });

  it('the counter never goes backwards: a torn or corrupted counter record leaves the newest valid one', () => {
    const device = new MemoryFlashDevice();
    const flash = new HandsetFlash(device);
    for (let i = 0; i < 10; i++) flash.nextReportCounter();
    device.tearNextWrite();
    flash.nextReportCounter(); // power cut while writing 11
    const after = new HandsetFlash(device);
    // The torn slot cannot be told from a record that went bad after 11 was used: 11 is skipped, not reused.
    expect(after.status.countersCorrupted).toBe(false);
    expect(after.reportCounter).toBe(11);
    expect(after.nextReportCounter()).toBe(12);
    expect(after.nextReportCounter()).toBe(13);
    device.corrupt('counters-a', 5);
    device.corrupt('counters-b', 5);
    expect(new HandsetFlash(device).status.countersCorrupted).toBe(true);
  });

  it('wipe erases the key and config but keeps the counters', () => {
    const device = new MemoryFlashDevice();
    const flash = new HandsetFlash(device);
    flash.commit(PROVISIONED);
    flash.nextReportCounter();
    flash.wipe();
    const after = new HandsetFlash(device);
    expect(after.settings).toEqual({ config: DEFAULT_CONFIG, key: undefined });
    expect(after.reportCounter).toBe(1);
    expect(after.status.settingsCorrupted).toBe(false);
  });

  it('the alarm in progress survives a reboot, phase by phase, until it is cleared', () => {
    const device = new MemoryFlashDevice();
    const flash = new HandsetFlash(device);
    expect(flash.alarm).toBeNull();
    const raising = { phase: 'raising', startedAtMs: 1_000, trackingEndsAtMs: 3_601_000 } as const;
    flash.saveAlarm(raising);
    flash.nextReportCounter(); // the ALM's counter write carries the alarm along
    expect(new HandsetFlash(device).alarm).toEqual(raising);
    flash.saveAlarm({ ...raising, phase: 'tracking' });
    expect(new HandsetFlash(device).alarm).toEqual({ ...raising, phase: 'tracking' });
    flash.saveAlarm(null);
    const after = new HandsetFlash(device);
    expect(after.alarm).toBeNull();
    expect(after.reportCounter).toBe(1);
  });

  it('a torn write of a new alarm phase keeps the previous phase', () => {
    const device = new MemoryFlashDevice();
    const flash = new HandsetFlash(device);
    const raising = { phase: 'raising', startedAtMs: 1_000, trackingEndsAtMs: 3_601_000 } as const;
    flash.saveAlarm(raising);
    device.tearNextWrite();
    flash.saveAlarm({ ...raising, phase: 'in-call' });
    const after = new HandsetFlash(device);
    expect(after.status.countersCorrupted).toBe(false);
    expect(after.alarm).toEqual(raising);
  });

  it('reads a counter image written before the alarm field existed: no alarm, everything else kept', () => {
    const record = oldCounterRecord();
    const device = new MemoryFlashDevice();
    device.write('counters-a', record);
    const flash = new HandsetFlash(device);
    expect(flash.status.countersCorrupted).toBe(false);
    expect(flash.alarm).toBeNull();
    expect(flash.reportCounter).toBe(41);
    expect(flash.authFailures).toEqual({ badSignatures: 1, lockedUntilMs: 0 });
    // The next write (to the other slot, newer generation) adds the field; the old slot stays as it was.
    flash.saveAlarm({ phase: 'raising', startedAtMs: 5, trackingEndsAtMs: 10 });
    expect(device.read('counters-a')).toEqual(record);
    expect(new HandsetFlash(device).alarm?.phase).toBe('raising');
    expect(new HandsetFlash(device).nextReportCounter()).toBe(42);
  });
});
