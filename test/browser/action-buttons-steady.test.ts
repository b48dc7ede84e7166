// The action buttons stay where they are through a TecSOS call, and the victim's record stays readable. Seen in
// `make demo` (25 Nov, call handler, 1600x1000): after Accept the status line ("Accepted: request recorded
// (event N), waiting for confirmation…", then "confirmed by the gateway") wrapped to two lines and the state line
// grew, and every button moved about 51 px down: where Fresh fix had been, Hang up now was, under the pointer of a
// handler clicking twice. A first fix (b88b8f2, reverted in 944280a) pinned the bar to the bottom of the details,
// where it covered the safety notes in the supervisor's layout at 1600x1000: the notes are checked here too, at
// every step. Each role's layout at 1600x1000, 1280x800 and 1024x768; a real browser against a real gateway HTTP
// edge and SQLite store (console-gateway.ts). Measured with the sound on: see soundHeldOff.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole, selectCall } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

/** Screenshots of each step for a reviewer (not compared): TECSOS_SHOTS=<dir>. */
const SHOTS = process.env['TECSOS_SHOTS'];
const KINDS = ['answer', 'hangup', 'acknowledge', 'locate', 'stop', 'close'] as const;

/**
 * Read in one turn of the page, after its next two frames (the panel is rebuilt on events): where each action
 * button is (px, rounded), and whether the safety notes show whole, inside every box that clips them, with
 * nothing (the button bar) drawn over their first or last line.
 */
type Look = { boxes: Record<string, readonly number[]>; notes: string };
async function look(p: Page, name: string): Promise<Look> {
  const seen = await p.evaluate((kinds) => new Promise<Look>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const boxes = Object.fromEntries(kinds.map((k) => {
      const b = (document.getElementById(`act-${k}`) as HTMLElement).getBoundingClientRect();
      return [k, [b.x, b.y, b.width, b.height].map(Math.round)];
    }));
    const el = document.querySelector('.safety-notes') as HTMLElement;
    const r = el.getBoundingClientRect();
    let [top, bottom] = [0, innerHeight];
    for (let a = el.parentElement; a !== null; a = a.parentElement) {
      if (getComputedStyle(a).overflow === 'visible') continue;
      const b = a.getBoundingClientRect();
      [top, bottom] = [Math.max(top, b.top), Math.min(bottom, b.bottom)];
    }
    const mine = (x: number, y: number) => { const hit = document.elementFromPoint(x, y); return hit !== null && el.contains(hit); };
    const whole = r.top >= top - 1 && r.bottom <= bottom + 1 && mine(r.left + 4, r.top + 4) && mine(r.left + 4, r.bottom - 4);
    // When the notes are not whole, what stood above them: the top bar (its height, the connection, the sound button)
    // and the status line (a failure of this test under load, 25 Nov: the top bar 93 px high, soundHeldOff).
    const st = document.getElementById('action-status') as HTMLElement;
    const bar = `${Math.round((document.querySelector('.topbar') as HTMLElement).getBoundingClientRect().height)} px, "${document.getElementById('conn')?.textContent ?? ''}"${(document.getElementById('sound-btn') as HTMLElement).hidden ? '' : ', Sound is off'}`;
    resolve({ boxes, notes: whole ? 'readable' : `[${Math.round(r.top)} to ${Math.round(r.bottom)}] in [${Math.round(top)} to ${Math.round(bottom)}] (top bar: ${bar}; status line: ${st.className} "${st.textContent ?? ''}"; details begin "${document.getElementById('incident-body')?.innerText.slice(0, 200) ?? ''}")` });
  }))), [...KINDS]);
  if (SHOTS !== undefined) {
    mkdirSync(SHOTS, { recursive: true });
    await p.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }
  return seen;
}

/**
 * Whether an element of the incident panel that draws `text` draws all of it: not cut (its content fits its box,
 * no ellipsis), not hidden. A screen reader reads the whole of a cut line; a sighted handler must be able to too.
 */
function wholeOnScreen(p: Page, text: string): Promise<boolean> {
  return p.evaluate((text) => [...document.querySelectorAll('#incident-panel *')].some((el) => {
    if (!(el instanceof HTMLElement) || !(el.textContent ?? '').includes(text) || [...el.children].some((c) => (c.textContent ?? '').includes(text))) return false;
    const r = el.getBoundingClientRect();
    return r.width > 2 && r.height > 2 && el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1 && getComputedStyle(el).visibility === 'visible';
  }), text);
}

/**
 * The page's sound held off: its AudioContext reads "suspended" until soundOn, whatever the browser does meanwhile.
 * This test failed once in `make test` under load (25 Nov, the supervisor at 1024x768, Accept pending: her safety
 * notes 316 to 369 px in details 148 to 359). Held off, it fails so every time at 1024x768, with those figures: the
 * browser had not started the page's audio when the status line said "waiting for confirmation", and the "Sound is
 * off" button still stood in the top bar, 93 px high at 1024 instead of 48 (the connection squeezed onto three lines
 * beside it): the details began 45 px lower. Unloaded, the audio starts a few ms after the first click (on a row, on
 * Accept), before the Accept's answer; it is random whether it already runs at the first step (Playwright's pages
 * count as activated). The button is by design (docs/console.md: the top bar takes the lines it needs) and goes at
 * the first click or key, and her actions' lines in the status line come only after one: the two stand together for
 * those few ms only.
 * The layouts measured here are those of a console whose sound is on, made so before the first step.
 */
async function soundHeldOff(p: Page): Promise<void> {
  await p.evaluate(() => {
    const w = window as unknown as { soundHeld: boolean };
    const real = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'state')?.get;
    w.soundHeld = true;
    Object.defineProperty(AudioContext.prototype, 'state', { configurable: true, get(this: AudioContext) { return w.soundHeld ? 'suspended' : real?.call(this); } });
  });
}

/** Lets the sound on: a click on the top bar's title (a gesture, which does nothing else), then the button gone. */
async function soundOn(p: Page): Promise<void> {
  await p.evaluate(() => {
    (window as unknown as { soundHeld: boolean }).soundHeld = false;
  });
  await p.locator('.topbar h1').click();
  await poll(() => p.locator('body').getAttribute('data-audio')).toBe('on');
  await poll(() => p.locator('#sound-btn').isVisible()).toBe(false);
}

/** How far each button moved from `from` (px, only those that moved). */
function moved(from: Record<string, readonly number[]>, to: Record<string, readonly number[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of KINDS) {
    const [a, b] = [from[k] ?? [], to[k] ?? []];
    const d = a.map((v, i) => (b[i] ?? 0) - v);
    if (d.some((v) => v !== 0)) out[k] = `dx ${d[0]} dy ${d[1]} dw ${d[2]} dh ${d[3]}`;
  }
  return out;
}

const SIZES = [[1600, 1000], [1280, 800], [1024, 768]] as const;
const ROLES = ['handler', 'super'] as const;

describe('the action buttons through a TecSOS call', () => {
  let n = 0;
  for (const user of ROLES) {
    for (const [width, height] of SIZES) {
      it(`${user} at ${width}x${height}: do not move from ringing to accepted, tracking, a fresh fix and acknowledged; the safety notes stay readable`, async () => {
        n += 1;
        const [inc, call, hs] = [`inc-st${n}`, `c-st${n}`, `TS-09${String(n).padStart(2, '0')}`];
        const t = Date.now() - 30_000;
        core.victims.set(inc, {
          handsetId: hs,
          victim: { name: 'Carla Example', safetyNotes: 'Abuser has keys to the flat. Cannot speak freely: use yes/no questions only.', riskMarkers: ['weapons', 'children-present'], address: '3 Example Lane, London' },
        });
        await world.store.append([
          ev.opened(inc, hs, call, t),
          ev.ringing(call, 'tecsos', t, { callerNumber: '+447700900901', handsetId: hs, incidentId: inc, force: 'West Yorkshire Police' }),
          ev.status(hs, t),
        ]);
        const p = await openConsole(world.browser, world.gateway, user, width, height, pageErrors);
        try {
          await soundHeldOff(p);
          await selectCall(p, call);
          await poll(() => p.locator('.safety-notes').innerText()).toContain('Cannot speak freely');
          await poll(() => p.locator('#act-answer').isEnabled()).toBe(true);
          await soundOn(p);
          const steps: Record<string, Look> = { ringing: await look(p, `${user}-${width}x${height}-0-ringing`) };

          await p.locator('#act-answer').click();
          await poll(() => p.locator('#action-status').innerText()).toContain('waiting for confirmation');
          steps['accept pending'] = await look(p, `${user}-${width}x${height}-accept-pending`);
          await world.store.append([ev.answered(call, user)]);
          await poll(() => p.locator('#action-status').innerText()).toContain('confirmed by the gateway');
          await poll(() => p.locator('#incident-state').innerText()).toContain(`Call answered by ${user}`);
          steps['answered'] = await look(p, `${user}-${width}x${height}-answered`);

          // Her handset tracking: the first fix, then more.
          await world.store.append([ev.fix(inc, hs, 0, Date.now() - 20_000), ev.fix(inc, hs, 1, Date.now() - 10_000)]);
          await poll(() => p.locator('#fix-info').innerText()).toContain('Last fix');
          steps['tracking'] = await look(p, `${user}-${width}x${height}-tracking`);

          await p.locator('#act-locate').click();
          await poll(() => p.locator('#action-status').innerText()).toContain('waiting for confirmation');
          steps['fresh fix pending'] = await look(p, `${user}-${width}x${height}-fresh-fix-pending`);
          await world.store.append([
            { type: 'incident.locate-requested', incidentId: inc, handsetId: hs, by: user } as NewEvent,
            { type: 'command.sent', handsetId: hs, incidentId: inc, counter: 9, command: { kind: 'LOCATE' }, by: user, lineId: 'line1' } as NewEvent,
          ]);
          await poll(() => p.locator('#action-status').innerText()).toContain('confirmed by the gateway');
          await poll(() => p.locator('#incident-body').innerText()).toContain('Fresh fix: requested, waiting for the modem');
          steps['fresh fix requested'] = await look(p, `${user}-${width}x${height}-fresh-fix-requested`);
          await world.store.append([{ type: 'command.result', handsetId: hs, counter: 9, result: 'sent', detail: '+CMGS: 12' } as NewEvent]);
          await poll(() => p.locator('#incident-body').innerText()).toContain('Fresh fix: sent, waiting for the handset');
          steps['fresh fix sent'] = await look(p, `${user}-${width}x${height}-fresh-fix-sent`);

          await p.locator('#act-acknowledge').click();
          await world.store.append([{ type: 'incident.acknowledged', incidentId: inc, by: user } as NewEvent]);
          await poll(() => p.locator('#incident-state').innerText()).toContain(`Incident acknowledged by ${user}`);
          await poll(() => p.locator('#action-status').innerText()).toMatch(/acknowledged \(TS-[0-9]+\): confirmed by the gateway/);
          steps['acknowledged'] = await look(p, `${user}-${width}x${height}-acknowledged`);

          // A long refusal (a failure said in the status line, cut there if need be, all of it still readable).
          core.refusals.set(`locate:${inc}`, { error: 'unavailable', message: 'no modem line is free to send the TSC1 LOCATE command to the handset: every line is on a call or down; try again in a minute' });
          await world.store.append([
            { type: 'command.result', handsetId: hs, counter: 9, result: 'acknowledged', detail: 'ACK 9' } as NewEvent,
            ev.fix(inc, hs, 2, Date.now()),
          ]);
          await poll(() => p.locator('#incident-body').innerText()).toContain('Fresh fix: acknowledged by the handset');
          await p.locator('#act-locate').click();
          await poll(() => p.locator('#action-status').innerText()).toContain('FAILED');
          steps['fresh fix refused'] = await look(p, `${user}-${width}x${height}-fresh-fix-refused`);
          const full = await wholeOnScreen(p, 'try again in a minute');
          // Said whole where she looks, the status line above the details, on screen without scrolling: cut to one
          // line there, the reason was only at the end of the details, off screen in every layout (review of d645e6d).
          const saidWhole = await p.evaluate(() => {
            const el = document.getElementById('action-status') as HTMLElement;
            const r = el.getBoundingClientRect();
            return (el.textContent ?? '').includes('try again in a minute') && el.scrollHeight <= el.clientHeight + 1 && r.top >= 0 && r.bottom <= innerHeight;
          });

          const before = steps['ringing']!;
          const moves = Object.fromEntries(Object.entries(steps).map(([s, v]) => [s, moved(before.boxes, v.boxes)]).filter(([, m]) => Object.keys(m).length > 0));
          // While a failure is said whole above the details, the details give it their room (they scroll, her notes
          // with them; nothing is drawn over them): the notes are checked at every other step.
          const notes = Object.fromEntries(Object.entries(steps).filter(([s]) => s !== 'fresh fix refused').map(([s, v]) => [s, v.notes]).filter(([, v]) => v !== 'readable'));
          expect({ moves, notes }).toEqual({ moves: {}, notes: {} });
          // The long refusal is on screen whole: not only read out, nor only in a tooltip, nor below the fold.
          expect({ full, saidWhole }).toEqual({ full: true, saidWhole: true });
        } finally {
          await p.close();
        }
        expect(pageErrors).toEqual([]);
      }, 60_000);
    }
  }
});

describe('the details, scrolled on their own above the buttons', () => {
  it('a handler scrolled down a long record stays there when the next fix redraws the panel (1024x768)', async () => {
    const t = Date.now() - 30_000;
    core.victims.set('inc-scroll', {
      handsetId: 'TS-0990',
      victim: {
        name: 'Dana Example', riskMarkers: ['weapons', 'children-present', 'stalking'], address: '4 Example Road, Leeds',
        safetyNotes: 'Cannot speak freely: use yes/no questions only. '.repeat(6), perpetratorNotes: 'Drives a silver estate car; known to the local team. '.repeat(4),
      },
    });
    await world.store.append([
      ev.opened('inc-scroll', 'TS-0990', 'c-scroll', t),
      ev.ringing('c-scroll', 'tecsos', t, { callerNumber: '+447700900990', handsetId: 'TS-0990', incidentId: 'inc-scroll', force: 'Test Force' }),
      ev.status('TS-0990', t),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1024, 768, pageErrors);
    try {
      await poll(async () => {
        if ((await p.locator('#incident-body').getAttribute('data-call')) !== 'c-scroll') await p.locator('.queue-item[data-key="call:c-scroll"] button').click();
        return p.locator('#incident-body').getAttribute('data-call');
      }).toBe('c-scroll');
      await poll(() => p.locator('.victim').innerText()).toContain('Drives a silver estate car');
      const details = p.locator('.incident-details');
      // Down to the perpetrator notes, short of the end (the top bar may take a line less meanwhile: the details grow).
      const scrolled = await details.evaluate((el) => (el.scrollTop = 150));
      expect(await details.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(250);
      // Reached with the keyboard (Chromium makes the scroller a tab stop: nothing in it takes the focus), to scroll it.
      await p.locator('#act-answer').focus();
      await p.keyboard.press('Shift+Tab');
      const focused = () => p.evaluate(() => document.activeElement?.className ?? null);
      expect(await focused()).toBe('incident-details');
      await world.store.append([ev.fix('inc-scroll', 'TS-0990', 0, Date.now())]);
      await poll(() => p.locator('#fix-info').innerText()).toContain('Last fix');
      await world.store.append([{ type: 'command.sent', handsetId: 'TS-0990', incidentId: 'inc-scroll', counter: 3, command: { kind: 'LOCATE' }, by: 'handler', lineId: 'line1' } as NewEvent]);
      await poll(() => p.locator('#incident-body').innerText()).toContain('Fresh fix: requested');
      expect({ top: await details.evaluate((el) => el.scrollTop), focus: await focused() }).toEqual({ top: scrolled, focus: 'incident-details' });
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
