// What a screen reader user hears while nothing happens, and when her victim's position goes stale, in chromium
// against a real edge and store (console-gateway.ts). Found walking a whole alarm with a screen reader's eyes: the
// fix line (#fix-info, "Last fix 0:07 ago ...") was a polite live region and its age changes every second, so a
// screen reader read the fix line out again every second while she talked to the caller. It is plain text now;
// a polite region of its own (#fix-announce) says the fix line when its staleness changes: her first position, a fix
// gone ageing or stale, a fresh one after.
// Also: what others changed on the call or incident she has selected (the caller hung up, a supervisor acknowledged
// or closed it, her handset's tracking time ran out) changed the panel's state line only, which a screen reader does
// not read out; it is said in a polite region of its own (#incident-news). Her own actions: the status line.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const world = browserWorld(new FakeCore());
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

/** A console with her incident selected; `fixAgeS`: its one fix that old, or none yet. */
async function selected(n: number, fixAgeS: number | null): Promise<{ p: Page; id: string; hs: string }> {
  const id = `inc-l${n}`;
  const hs = `TS-093${n}`;
  const t = Date.now();
  // Her record as the gateway keeps it: without it the console's read of the record answers 404 and says so in
  // the status line, a moment after the selection, which the tests below would hear as a region speaking.
  world.core.victims.set(id, { handsetId: hs, victim: { name: `Ann Example ${n}`, safetyNotes: 'None.', riskMarkers: [] } });
  await world.store.append([ev.opened(id, hs, null, t - 120_000), ...(fixAgeS === null ? [] : [ev.fix(id, hs, 0, t - fixAgeS * 1000)]), ev.status(hs, t)]);
  const p = await openConsole(world.browser, world.gateway, 'handler', 1366, 768, pageErrors);
  await p.locator(`.queue-item[data-key="incident:${id}"] button`).click();
  await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe(id);
  await poll(() => p.locator('.victim h3').innerText()).toBe(`Ann Example ${n}`);
  if (fixAgeS !== null) await poll(() => p.locator('.map-panel').getAttribute('data-drawn')).toBe('1');
  return { p, id, hs };
}

describe('live regions, screen reader', () => {
  it('while nothing happens, no live region changes over three re-draws (the fix line\'s age ticks on screen only)', async () => {
    const { p, id } = await selected(1, 5);
    try {
      const changed = await p.evaluate(() => new Promise<string[]>((resolve) => {
        const seen = new Set<string>();
        const regions = [...document.querySelectorAll<HTMLElement>('[aria-live], [role="status"], [role="alert"], [role="log"]')];
        const obs = new MutationObserver((records) => {
          for (const r of records) {
            const region = regions.find((el) => el.contains(r.target));
            if (region !== undefined) seen.add(region.id || region.className);
          }
        });
        for (const el of regions) obs.observe(el, { childList: true, characterData: true, subtree: true });
        // Three ticks of the 1 s re-draw.
        setTimeout(() => {
          obs.disconnect();
          resolve([...seen]);
        }, 3_300);
      }));
      expect({ changed, fixLineTicks: await p.locator('#fix-info').innerText() }).toEqual({ changed: [], fixLineTicks: expect.stringMatching(/^Last fix \d+:\d\d ago/) });
    } finally {
      await p.close();
      await world.store.append([ev.closed(id, 'handler', 'resolved-by-phone')]);
    }
  });

  it('her first position is said (politely), then its going ageing, then a fresh fix after it, once each', async () => {
    const { p, id, hs } = await selected(2, null);
    try {
      // Everything the region says, in order.
      await p.evaluate(() => {
        const w = window as unknown as { said: string[] };
        w.said = [];
        const el = document.getElementById('fix-announce') as HTMLElement;
        new MutationObserver(() => w.said.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
      });
      const said = () => p.evaluate(() => (window as unknown as { said: string[] }).said.filter((x) => x !== ''));
      await world.store.append([ev.fix(id, hs, 0, Date.now() - 40_000)]);
      // Sixty seconds after the fix was measured (a bound on the wait, not a timed assertion).
      await expect.poll(async () => (await said()).length, { timeout: 40_000 }).toBe(2);
      await world.store.append([ev.fix(id, hs, 1, Date.now())]);
      await poll(async () => (await said()).length).toBe(3);
      expect(await said()).toEqual([
        expect.stringMatching(/^First position: Last fix 0:[345]\d ago/),
        expect.stringMatching(/^Ageing: Last fix 1:0\d ago/),
        expect.stringMatching(/^Position updated: Last fix 0:0\d ago/),
      ]);
      expect(await p.locator('#fix-announce').getAttribute('aria-live')).toBe('polite');
      expect(await p.locator('#fix-info').getAttribute('aria-live')).toBeNull();
    } finally {
      await p.close();
      await world.store.append([ev.closed(id, 'handler', 'resolved-by-phone')]);
    }
  });

  it('what others change on her selected call and incident is said politely, once each; her own acknowledgement is not said there', async () => {
    const id = 'inc-l3';
    const hs = 'TS-0933';
    const call = 'c-l3';
    const t = Date.now();
    // Her record (without it the console's read answers 404, said in the status line over her own action's: selected()).
    world.core.victims.set(id, { handsetId: hs, victim: { name: 'Ann Example 3', safetyNotes: 'None.', riskMarkers: [] } });
    await world.store.append([ev.opened(id, hs, call, t), ev.ringing(call, 'tecsos', t, { callerNumber: '+447700900933', handsetId: hs, incidentId: id, force: 'Test Force' }), ev.answered(call, 'handler')]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1366, 768, pageErrors);
    try {
      await p.locator(`.queue-item[data-key="call:${call}"] button`).click();
      await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe(call);
      await poll(() => p.locator('.victim h3').innerText()).toBe('Ann Example 3');
      await p.evaluate(() => {
        const w = window as unknown as { news: string[] };
        w.news = [];
        const el = document.getElementById('incident-news') as HTMLElement;
        new MutationObserver(() => w.news.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
      });
      const news = () => p.evaluate(() => (window as unknown as { news: string[] }).news.filter((x) => x !== ''));
      // Her own acknowledgement (K, confirmed): the status line says it, not this region.
      await p.keyboard.press('k');
      await poll(() => p.locator('#act-acknowledge').innerText()).toContain('pending');
      await world.store.append([{ type: 'incident.acknowledged', incidentId: id, by: 'handler' } as NewEvent]);
      await poll(() => p.locator('#action-status').innerText()).toContain('confirmed');
      for (const e of [
        { type: 'call.ended', callId: call, lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: 40 },
        { type: 'incident.tracking-stopped', incidentId: id, handsetId: hs, reason: 'timeout', by: null },
        { type: 'incident.closed', incidentId: id, by: 'super', outcome: 'resolved-by-phone' },
      ]) {
        const before = (await news()).length;
        await world.store.append([e as NewEvent]);
        await poll(async () => (await news()).length).toBe(before + 1);
      }
      expect(await news()).toEqual([
        'The caller hung up (line1).',
        `Her handset's tracking time ran out (incident ${id}).`,
        `Incident ${id} closed by super: resolved by phone.`,
      ]);
      expect(await p.locator('#incident-news').getAttribute('aria-live')).toBe('polite');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('while the gateway\'s events arrive (another handset\'s reports), no live region speaks: the event number is on screen only', async () => {
    // #conn was a polite region reading "Live · event 1234": its text changed with every event of the room (a status
    // report, a line's health, another victim's fix), and a screen reader read the connection line out each time.
    const { p, id } = await selected(4, 5);
    try {
      await p.evaluate(() => {
        const w = window as unknown as { seen: Set<string> };
        w.seen = new Set<string>();
        const regions = [...document.querySelectorAll<HTMLElement>('[aria-live], [role="status"], [role="alert"], [role="log"]')];
        new MutationObserver((records) => {
          for (const r of records) {
            const region = regions.find((el) => el.contains(r.target));
            if (region !== undefined) w.seen.add(region.id || region.className);
          }
        }).observe(document.body, { childList: true, characterData: true, subtree: true });
      });
      let last = 0;
      for (let i = 0; i < 3; i++) {
        const [stored] = await world.store.append([ev.status('TS-0999', Date.now())]);
        last = stored?.seq ?? Infinity;
        await poll(() => p.evaluate(() => Number(document.body.dataset['lastSeq']))).toBe(last);
      }
      const seen = await p.evaluate(() => [...(window as unknown as { seen: Set<string> }).seen]);
      expect({ seen, conn: await p.locator('#conn').innerText(), said: await p.locator('#conn-announce').textContent() })
        .toEqual({ seen: [], conn: `Live · event ${last}`, said: 'Live: connected to the gateway.' });
    } finally {
      await p.close();
      await world.store.append([ev.closed(id, 'handler', 'resolved-by-phone')]);
    }
  });
});
