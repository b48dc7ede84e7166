// A keyboard call handler on a queue row whose key changes or whose call ends, in chromium against a real edge and
// store (console-gateway.ts). A queue row's key is `incident:<id>` while her incident has no live call and
// `call:<id>` while it has one. Findings of review 13c, each seen on the console before its fix:
// - her focused alarm row became its call's row when the 999 call rang: dom.ts replaceChildren took it for a row
//   that left and gave the focus to a neighbour (another victim's TecSOS call); her next Enter selected that call.
//   The same when the caller of an answered TecSOS call hung up (the row went back to incident:<id>);
// - her selected call ended (the focus went to the next row), then ↓ selected the second row from the top and
//   scrolled the queue panel to the top, not the row after the one she was on.
// Also kept (they pass before and after): rows morphed in place keep the focus, their listeners and their state.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];

const consoleAs = (width: number, height: number): Promise<Page> => openConsole(world.browser, world.gateway, 'handler', width, height, pageErrors);
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const drawn = (p: Page) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const endedBy = (callId: string, who: 'caller' | 'handler'): NewEvent => (who === 'caller'
  ? { type: 'call.ended', callId, lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }
  : { type: 'call.ended', callId, lineId: 'line1', endedBy: 'handler', by: 'handler', talkSeconds: 5 }) as NewEvent;
/** One file, one store: each test takes its calls and incidents out of the queue when it is done. */
const clear = (calls: readonly string[], incidents: readonly string[] = []) => world.store.append([
  ...calls.flatMap((c) => [ev.answered(c, 'handler'), endedBy(c, 'handler')]),
  ...incidents.map((i) => ev.closed(i, 'handler', 'resolved-by-phone')),
]);

/** The whole queue and the focus, found and read in one turn of the page (the rows are drawn every second). */
const read = (p: Page) => p.evaluate(() => {
  const a = document.activeElement as HTMLElement | null;
  const rows = [...document.querySelectorAll<HTMLElement>('#queue > li')].map((li) => ({
    key: li.dataset['key'] ?? null,
    cls: li.className,
    prio: li.dataset['priority'] ?? null,
    label: li.querySelector('.q-label')?.textContent ?? null,
    icon: li.querySelector('.q-icon')?.textContent ?? null,
    state: li.querySelector('.q-state')?.textContent ?? null,
    name: li.querySelector('button')?.getAttribute('aria-label') ?? null,
    current: li.querySelector('button')?.getAttribute('aria-current') ?? null,
  }));
  return {
    rows,
    focus: a?.closest<HTMLElement>('#queue > li')?.dataset['key'] ?? (a?.id || a?.tagName.toLowerCase() || null),
    pageScroll: document.scrollingElement?.scrollTop ?? 0,
    panelScroll: (document.getElementById('queue-panel') as HTMLElement).scrollTop,
    selectedCall: document.getElementById('incident-body')?.dataset['call'] ?? null,
    selectedIncident: document.getElementById('incident-body')?.dataset['incident'] ?? null,
  };
});

describe('queue rows whose key changes or whose call ends, keyboard', () => {
  it('a focused TecSOS alarm row whose 999 call then rings: the focus stays on her row (now its call), not on another victim\'s call', async () => {
    const now = Date.now();
    await world.store.append([
      ev.opened('inc-a', 'TS-0301', null, now - 20_000),
      ev.ringing('c-other', 'tecsos', now - 10_000, { callerNumber: '+447700900302', handsetId: 'TS-0302', force: 'Test Force' }),
      ev.ringing('c-ord', 'ordinary', now - 5_000, { callerNumber: '+447700900303' }),
    ]);
    const p = await consoleAs(1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:c-ord"]').waitFor();
      await p.locator('.queue-item[data-key="incident:inc-a"] button').focus();
      await p.keyboard.press('Enter');
      await poll(async () => (await read(p)).selectedIncident).toBe('inc-a');
      expect((await read(p)).focus).toBe('incident:inc-a');
      // Her handset's 999 call rings (the same incident): the alarm row becomes the call's row, in the same place.
      await world.store.append([ev.ringing('c-a', 'tecsos', now - 1_000, { callerNumber: '+447700900301', handsetId: 'TS-0301', incidentId: 'inc-a', force: 'Test Force' })]);
      await poll(() => p.locator('.queue-item[data-key="call:c-a"]').count()).toBe(1);
      await drawn(p);
      const after = await read(p);
      const current = after.rows.filter((r) => r.current === 'true').map((r) => r.key);
      // Enter on the focused row: her call, not c-other (before the fix the focus ring was on c-other's row).
      await p.keyboard.press('Enter');
      await drawn(p);
      const enter = (await read(p)).selectedCall;
      expect({ order: after.rows.map((r) => r.key), current, focus: after.focus, afterEnter: enter })
        .toEqual({ order: ['call:c-other', 'call:c-a', 'call:c-ord'], current: ['call:c-a'], focus: 'call:c-a', afterEnter: 'c-a' });
    } finally {
      await p.close();
      await clear(['c-other', 'c-ord', 'c-a'], ['inc-a']);
    }
  });

  it('a focused answered TecSOS call whose caller hangs up (its incident open): the focus stays on her incident\'s row', async () => {
    const now = Date.now();
    await world.store.append([
      ev.opened('inc-b', 'TS-0311', 'c-b', now - 20_000),
      ev.ringing('c-b', 'tecsos', now - 20_000, { callerNumber: '+447700900311', handsetId: 'TS-0311', incidentId: 'inc-b', force: 'Test Force' }),
      ev.answered('c-b', 'handler'),
      ev.ringing('c-b2', 'ordinary', now - 8_000, { callerNumber: '+447700900312' }),
    ]);
    const p = await consoleAs(1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:c-b2"]').waitFor();
      await p.locator('.queue-item[data-key="call:c-b"] button').focus();
      expect((await read(p)).focus).toBe('call:c-b');
      await world.store.append([endedBy('c-b', 'caller')]);
      await poll(() => p.locator('.queue-item[data-key="incident:inc-b"]').count()).toBe(1);
      await drawn(p);
      const after = await read(p);
      expect({ order: after.rows.map((r) => r.key), focus: after.focus }).toEqual({ order: ['incident:inc-b', 'call:c-b2'], focus: 'incident:inc-b' });
    } finally {
      await p.close();
      await clear(['c-b2'], ['inc-b']);
    }
  });

  it('a focused ringing call whose caller hangs up before an answer: the focus goes to the next call in the queue', async () => {
    const now = Date.now();
    await world.store.append([
      ev.ringing('c-u', 'tecsos-unregistered', now - 9_000, { callerNumber: '+447700900321' }),
      ev.ringing('c-n', 'ordinary', now - 8_000, { callerNumber: '+447700900322' }),
    ]);
    const p = await consoleAs(1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:c-n"]').waitFor();
      await p.locator('.queue-item[data-key="call:c-u"] button').focus();
      await world.store.append([endedBy('c-u', 'caller')]);
      await poll(() => p.locator('#missed .missed-item[data-key="call:c-u"]').count()).toBe(1);
      await drawn(p);
      const where = await p.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return { list: a?.closest('#queue, #missed')?.id ?? null, key: a?.closest<HTMLElement>('li')?.dataset['key'] ?? null };
      });
      expect(where).toEqual({ list: 'queue', key: 'call:c-n' });
    } finally {
      await p.close();
      await clear(['c-n']);
    }
  });

  it('her selected and focused call ends: the focus goes to the next row, and ↓ then goes on from there (not from the top, no scroll up)', async () => {
    const now = Date.now();
    const keys = Array.from({ length: 12 }, (_, i) => `k-${i}`);
    await world.store.append(keys.map((k, i) => ev.ringing(k, 'ordinary', now - 600_000 + i * 1000, { callerNumber: `+4477009007${String(i).padStart(2, '0')}` })));
    const p = await consoleAs(1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:k-11"]').waitFor();
      await p.locator('#queue-panel').evaluate((el) => (el.scrollTop = 300));
      await p.locator('.queue-item[data-key="call:k-6"] button').focus();
      await p.keyboard.press('Enter');
      await poll(async () => (await read(p)).selectedCall).toBe('k-6');
      const before = await read(p);
      // Her call ends (she hung up): it leaves the queue; the focus goes to k-7.
      await world.store.append([ev.answered('k-6', 'handler'), endedBy('k-6', 'handler')]);
      await poll(() => p.locator('.queue-item[data-key="call:k-6"]').count()).toBe(0);
      await drawn(p);
      const mid = await read(p);
      await p.keyboard.press('ArrowDown');
      await drawn(p);
      await drawn(p);
      const after = await read(p);
      expect({ focusMid: mid.focus, selected: after.selectedCall, focus: after.focus, notScrolledUp: after.panelScroll >= before.panelScroll - 1 })
        .toEqual({ focusMid: 'call:k-7', selected: 'k-8', focus: 'call:k-8', notScrolledUp: true });
      // ↑ from there: k-7, then (k-6 gone) k-5.
      await p.keyboard.press('ArrowUp');
      await poll(async () => (await read(p)).focus).toBe('call:k-7');
      await p.keyboard.press('ArrowUp');
      await poll(async () => (await read(p)).focus).toBe('call:k-5');
      expect((await read(p)).selectedCall).toBe('k-5');
    } finally {
      await p.close();
      await clear(keys.filter((k) => k !== 'k-6'));
    }
  });

  it('morphed rows: ringing -> answered, ordinary -> TecSOS after call.identified, a new TecSOS above the focused row, clicks and arrows', async () => {
    const now = Date.now();
    await world.store.append([
      ev.ringing('m-1', 'ordinary', now - 9_000, { callerNumber: '+447700900401' }),
      ev.ringing('m-2', 'ordinary', now - 8_000, { callerNumber: null }),
      ev.ringing('m-3', 'ordinary', now - 7_000, { callerNumber: '+447700900403' }),
    ]);
    const p = await consoleAs(1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:m-3"]').waitFor();
      await p.locator('.queue-item[data-key="call:m-3"] button').focus();
      const mark = () => p.evaluate(() => ((document.activeElement as HTMLElement & { hMark?: boolean }).hMark = true));
      const same = () => p.evaluate(() => (document.activeElement as HTMLElement & { hMark?: boolean }).hMark === true);
      await mark();
      // m-2 identified as TecSOS: it goes to the top, red, TecSOS; the focused m-3 stays focused.
      await world.store.append([{ type: 'call.identified', callId: 'm-2', lineId: 'line1', callerNumber: '+447700900402', priority: 'tecsos', handsetId: 'TS-0402', incidentId: null, force: 'Test Force' } as NewEvent]);
      await poll(async () => (await read(p)).rows[0]?.key).toBe('call:m-2');
      await drawn(p);
      let s = await read(p);
      const m2 = s.rows[0];
      expect({ prio: m2?.prio, cls: m2?.cls.includes('p-tecsos'), label: m2?.label, icon: m2?.icon, nameOk: m2?.name?.startsWith('TecSOS, RINGING since'), focus: s.focus, same: await same() })
        .toEqual({ prio: 'tecsos', cls: true, label: 'TecSOS', icon: '⚠', nameOk: true, focus: 'call:m-3', same: true });
      // A new TecSOS rings: above the focused ordinary row.
      await world.store.append([ev.ringing('m-4', 'tecsos', now - 1_000, { callerNumber: '+447700900404', handsetId: 'TS-0404', force: 'Test Force' })]);
      await poll(async () => (await read(p)).rows.length).toBe(4);
      await drawn(p);
      s = await read(p);
      expect({ order: s.rows.map((r) => r.key), focus: s.focus, same: await same() }).toEqual({ order: ['call:m-2', 'call:m-4', 'call:m-1', 'call:m-3'], focus: 'call:m-3', same: true });
      // The focused row answered by someone: its state, class and name.
      await world.store.append([ev.answered('m-3', 'other')]);
      await poll(async () => (await read(p)).rows.find((r) => r.key === 'call:m-3')?.cls).toContain('s-answered');
      await drawn(p);
      s = await read(p);
      const m3 = s.rows.find((r) => r.key === 'call:m-3');
      expect({ state: m3?.state?.startsWith('On call (other)'), name: m3?.name?.includes('On call (other)'), ringing: m3?.cls.includes('s-ringing') }).toEqual({ state: true, name: true, ringing: false });
      // Enter on the focused row selects m-3; ↑ then selects and focuses the row above (m-1).
      await p.keyboard.press('Enter');
      await poll(async () => (await read(p)).selectedCall).toBe('m-3');
      await p.keyboard.press('ArrowUp');
      await poll(async () => (await read(p)).focus).toBe('call:m-1');
      s = await read(p);
      expect({ sel: s.selectedCall, cur: s.rows.filter((r) => r.current === 'true').map((r) => r.key) }).toEqual({ sel: 'm-1', cur: ['call:m-1'] });
      // A click on each row selects its own call (the listeners morphed with the rows).
      for (const k of ['m-2', 'm-4', 'm-1', 'm-3']) {
        await p.locator(`.queue-item[data-key="call:${k}"] button`).click();
        await poll(async () => (await read(p)).selectedCall).toBe(k);
      }
      expect(s.pageScroll).toBe(0);
    } finally {
      await p.close();
      await clear(['m-1', 'm-2', 'm-3', 'm-4']);
    }
  });

  it('Missed list: the focused Missed row keeps its element when a newer missed call goes above it; clicks select their own calls', async () => {
    const now = Date.now();
    await world.store.append([
      ev.ringing('x-1', 'ordinary', now - 60_000, { callerNumber: '+447700900801' }), endedBy('x-1', 'caller'),
      ev.ringing('x-2', 'ordinary', now - 50_000, { callerNumber: '+447700900802' }), endedBy('x-2', 'caller'),
      ev.ringing('x-q', 'ordinary', now - 40_000, { callerNumber: '+447700900809' }),
    ]);
    const p = await consoleAs(1280, 720);
    try {
      await p.locator('#missed .missed-item[data-key="call:x-1"]').waitFor();
      await p.locator('#missed .missed-item[data-key="call:x-1"] button').focus();
      await p.evaluate(() => ((document.activeElement as HTMLElement & { hMark?: boolean }).hMark = true));
      // x-1 and x-2 ended in one append (the same time): the key orders them.
      await world.store.append([ev.ringing('x-3', 'tecsos-unregistered', now - 5_000, { callerNumber: '+447700900803' }), endedBy('x-3', 'caller')]);
      await poll(() => p.locator('#missed .missed-item[data-key="call:x-3"]').count()).toBe(1);
      await drawn(p);
      const m = await p.evaluate(() => ({
        order: [...document.querySelectorAll<HTMLElement>('#missed > li')].map((li) => li.dataset['key']).filter((k) => k?.startsWith('call:x-')),
        focus: (document.activeElement as HTMLElement).closest<HTMLElement>('li')?.dataset['key'],
        same: (document.activeElement as HTMLElement & { hMark?: boolean }).hMark === true,
      }));
      expect(m).toEqual({ order: ['call:x-3', 'call:x-1', 'call:x-2'], focus: 'call:x-1', same: true });
      for (const k of ['x-3', 'x-2', 'x-1']) {
        await p.locator(`#missed .missed-item[data-key="call:${k}"] button`).click();
        await poll(async () => (await read(p)).selectedCall).toBe(k);
      }
    } finally {
      await p.close();
      await clear(['x-q']);
    }
    expect(pageErrors).toEqual([]);
  });
});
