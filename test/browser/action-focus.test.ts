// A keyboard call handler (or supervisor) working an alarm from the incident panel's action buttons, in chromium
// against a real edge and store (console-gateway.ts). Found walking a whole alarm with the keyboard only (new
// TecSOS call, answer, acknowledge, locate, stop tracking, hang up, close): the focus fell to the page
// (document.body), and her next Tab began again at the skip link, three times in one alarm:
// - Enter on Accept call (or Acknowledge, Fresh fix): the button is drawn again disabled while pending, and a
//   disabled button takes no focus (dom.ts replaceChildren put it back by its focus key, and nothing took it);
// - Yes in the Stop tracking or Hang up question, and Close incident in the close form: the dialog gives the focus
//   back to the button she was on, but the panel was drawn again behind the dialog (pending), so that button was
//   gone. The same for the shortcuts help (?) when a new fix arrived behind it.
// The focus now stays in the action toolbar (on the button when it can take it, else the toolbar itself), from
// where Tab goes on to the next action.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';
import { focusAt, watchClose } from './focus-read.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const recorded = (method: string) => core.recorded.filter((r) => r.method === method).map((r) => r.id);


/** A ringing TecSOS call of an open incident, selected, in a fresh console. */
async function alarm(who: 'handler' | 'super', n: number): Promise<{ p: Page; id: string; call: string; hs: string }> {
  const id = `inc-k${n}`;
  const call = `c-k${n}`;
  const hs = `TS-09${String(n).padStart(2, '0')}`;
  const t = Date.now();
  await world.store.append([ev.opened(id, hs, call, t), ev.ringing(call, 'tecsos', t, { callerNumber: `+4477009009${n}`, handsetId: hs, incidentId: id, force: 'Test Force' }), ev.status(hs, t)]);
  const p = await openConsole(world.browser, world.gateway, who, 1366, 768, pageErrors);
  await p.locator(`.queue-item[data-key="call:${call}"] button`).focus();
  await p.keyboard.press('Enter');
  await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe(call);
  return { p, id, call, hs };
}

describe('the focus through a whole alarm, keyboard only', () => {
  it('Enter on Accept call, then on Acknowledge: the focus stays in the actions (not the page); Tab goes on to the next action', async () => {
    const { p, id, call } = await alarm('handler', 1);
    try {
      await p.locator('#act-answer').focus();
      await p.keyboard.press('Enter');
      await poll(() => recorded('answer')).toContain(call);
      await poll(() => p.locator('#act-answer').isDisabled()).toBe(true);
      const pending = await focusAt(p);
      await world.store.append([ev.answered(call, 'handler')]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call answered');
      const answered = await focusAt(p);
      await p.keyboard.press('Tab');
      const tab = await focusAt(p);
      await p.locator('#act-acknowledge').focus();
      await p.keyboard.press('Enter');
      await poll(() => recorded('acknowledge')).toContain(id);
      await world.store.append([{ type: 'incident.acknowledged', incidentId: id, by: 'handler' } as NewEvent]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Incident acknowledged');
      expect({ pending, answered, tab, acknowledged: await focusAt(p) }).toEqual({ pending: 'toolbar', answered: 'toolbar', tab: 'act-hangup', acknowledged: 'toolbar' });
    } finally {
      await p.close();
    }
  });

  it('Yes to Stop tracking (from Fresh fix), then to Hang up: the focus is back on the button she was on, not the page', async () => {
    const { p, id, call, hs } = await alarm('super', 2);
    try {
      await world.store.append([ev.answered(call, 'super')]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call answered');
      await p.locator('#act-locate').focus();
      await p.keyboard.press('s');
      await p.locator('#confirm-dialog[open]').waitFor();
      const stopAnswered = await watchClose(p, 'confirm-dialog');
      await p.keyboard.press('Enter');
      await poll(() => recorded('stopTracking')).toContain(id);
      await stopAnswered();
      const afterStop = await focusAt(p);
      await world.store.append([{ type: 'incident.tracking-stopped', incidentId: id, handsetId: hs, reason: 'handler', by: 'super' } as NewEvent]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('not tracking');
      const stopped = await focusAt(p);
      await p.keyboard.press('h');
      await p.locator('#confirm-dialog[open]').waitFor();
      const hangupAnswered = await watchClose(p, 'confirm-dialog');
      await p.keyboard.press('Enter');
      await poll(() => recorded('hangup')).toContain(call);
      await hangupAnswered();
      expect({ afterStop, stopped, afterHangup: await focusAt(p) }).toEqual({ afterStop: 'act-locate', stopped: 'act-locate', afterHangup: 'act-locate' });
    } finally {
      await p.close();
    }
  });

  it('? for the shortcuts while on Fresh fix, a new fix arrives behind the help (the panel drawn again), Esc: the focus is back on Fresh fix', async () => {
    const { p, id, hs } = await alarm('handler', 5);
    try {
      await p.locator('#act-locate').focus();
      await p.keyboard.press('?');
      await p.locator('#help-dialog[open]').waitFor();
      const helpClosed = await watchClose(p, 'help-dialog');
      const mark = await p.evaluate(() => ((window as unknown as { old?: Element | null }).old = document.getElementById('act-locate')) !== null);
      await world.store.append([ev.fix(id, hs, 0, Date.now())]);
      await poll(() => p.evaluate(() => (window as unknown as { old?: Element | null }).old?.isConnected)).toBe(false);
      await p.keyboard.press('Escape');
      await helpClosed();
      expect({ mark, focus: await focusAt(p) }).toEqual({ mark: true, focus: 'act-locate' });
    } finally {
      await p.close();
    }
  });

  it('Close incident from the close form, keyboard only: the focus is in the actions, not the page', async () => {
    const { p, id, call } = await alarm('handler', 3);
    try {
      await world.store.append([ev.answered(call, 'handler'), { type: 'call.ended', callId: call, lineId: 'line1', endedBy: 'handler', by: 'handler', talkSeconds: 30 } as NewEvent]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call ended');
      await p.locator('#act-close').focus();
      await p.keyboard.press('Enter');
      await p.locator('#close-dialog[open]').waitFor();
      const formClosed = await watchClose(p, 'close-dialog');
      expect(await focusAt(p)).toBe('close-outcome');
      await p.locator('#close-outcome').selectOption('resolved-by-phone');
      await p.locator('#close-submit').focus();
      await p.keyboard.press('Enter');
      await poll(() => recorded('close')).toContain(id);
      await formClosed();
      const afterForm = await focusAt(p);
      await world.store.append([ev.closed(id, 'handler', 'resolved-by-phone')]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Incident closed');
      expect({ afterForm, closed: await focusAt(p) }).toEqual({ afterForm: 'toolbar', closed: 'toolbar' });
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});

describe('the close form, screen reader', () => {
  /** The open dialog's accessible name and description as chromium computes them for assistive technology. */
  const dialogAx = async (p: Page) => {
    const cdp = await p.context().newCDPSession(p);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: { role?: { value?: string }; name?: { value?: string }; description?: { value?: string } }[] };
    const d = nodes.find((n) => n.role?.value === 'dialog');
    return { name: d?.name?.value ?? null, description: d?.description?.value ?? null };
  };

  it('on a tracking incident the form\'s warning is its description; on one not tracking there is none', async () => {
    const { p, id, hs } = await alarm('handler', 4);
    try {
      await p.keyboard.press('c');
      await p.locator('#close-dialog[open]').waitFor();
      const tracking = await dialogAx(p);
      await p.keyboard.press('Escape');
      await poll(() => p.locator('#close-dialog[open]').count()).toBe(0);
      await world.store.append([{ type: 'incident.tracking-stopped', incidentId: id, handsetId: hs, reason: 'timeout', by: null } as NewEvent]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('not tracking');
      await p.keyboard.press('c');
      await p.locator('#close-dialog[open]').waitFor();
      const stopped = await dialogAx(p);
      expect({ tracking, stopped }).toEqual({
        tracking: { name: 'Close the incident', description: expect.stringMatching(/^The handset is still tracking: closing does not stop it at once/) },
        stopped: { name: 'Close the incident', description: null },
      });
    } finally {
      await p.close();
    }
  });
});

describe('a dialog opened from a queue row that goes while it is open', () => {
  it('c on her alarm row, a colleague closes the incident behind the form, Esc: the focus is on the next row, not the page', async () => {
    const t = Date.now();
    // Two alarms (no call): hers, and another one after it in the queue.
    await world.store.append([ev.opened('inc-k6', 'TS-0906', null, t), ev.status('TS-0906', t), ev.opened('inc-k7', 'TS-0907', null, t + 1), ev.status('TS-0907', t + 1)]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1366, 768, pageErrors);
    try {
      const rows = () => p.evaluate(() => [...document.querySelectorAll<HTMLElement>('#queue > li')].map((li) => li.dataset['key']));
      await poll(async () => (await rows()).filter((k) => k === 'incident:inc-k6' || k === 'incident:inc-k7').length).toBe(2);
      await p.locator('.queue-item[data-key="incident:inc-k6"] button').focus();
      await p.keyboard.press('Enter');
      await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-k6');
      await p.keyboard.press('c');
      await p.locator('#close-dialog[open]').waitFor();
      const formClosed = await watchClose(p, 'close-dialog');
      const queue = await rows();
      const after = queue[queue.indexOf('incident:inc-k6') + 1] ?? queue[queue.indexOf('incident:inc-k6') - 1];
      await world.store.append([ev.closed('inc-k6', 'super', 'false-alarm')]);
      await poll(async () => (await rows()).includes('incident:inc-k6')).toBe(false);
      await p.keyboard.press('Escape');
      await formClosed();
      const focus = await p.evaluate(() => (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('#queue > li')?.dataset['key'] ?? document.activeElement?.tagName.toLowerCase() ?? null);
      expect(focus).toBe(after);
    } finally {
      await p.close();
      await world.store.append([ev.closed('inc-k7', 'handler', 'false-alarm')]);
    }
    expect(pageErrors).toEqual([]);
  });
});
