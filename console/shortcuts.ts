// Keyboard shortcuts for the common actions, ignored while typing in a field or while a dialog is open.
// The table is the single source for the help dialog (index.html mirrors it) and docs/console.md.
import { showModalKeepingFocus } from './dom.js';
import type { ActionKind } from './pending.js';

export type ShortcutTarget = {
  act(kind: ActionKind): void;
  follow(): void;
  /** Select the previous (-1) or next (+1) queue entry. */
  move(delta: number): void;
};

/** key -> what it does. */
export const SHORTCUTS: readonly { key: string; label: string; run: (t: ShortcutTarget) => void }[] = [
  { key: 'a', label: 'Accept the selected call', run: (t) => t.act('answer') },
  { key: 'h', label: 'Hang up (asks to confirm)', run: (t) => t.act('hangup') },
  { key: 'k', label: 'Acknowledge the incident', run: (t) => t.act('acknowledge') },
  { key: 'l', label: 'Ask the handset for a fresh fix', run: (t) => t.act('locate') },
  { key: 's', label: 'Stop tracking (asks to confirm)', run: (t) => t.act('stop') },
  { key: 'c', label: 'Close the incident with an outcome', run: (t) => t.act('close') },
  { key: 'f', label: 'Follow the position on the map on/off', run: (t) => t.follow() },
  { key: 'ArrowUp', label: 'Previous call in the queue', run: (t) => t.move(-1) },
  { key: 'ArrowDown', label: 'Next call in the queue', run: (t) => t.move(1) },
];

/** Inputs that take no text: a letter pressed on them is a shortcut (the Follow checkbox, the replay slider). */
const NO_TEXT_INPUTS = new Set(['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'color', 'file', 'image']);

/**
 * Whether the key belongs to the focused field. A checkbox or the replay slider keeps focus after a click: a
 * handler who then pressed K to acknowledge got nothing at all. They take no letters, so letters stay
 * shortcuts there; the slider keeps its arrow keys.
 */
function typing(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (key.startsWith('Arrow') && scrollerReachedWithTab(target)) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  if (!NO_TEXT_INPUTS.has(target.type)) return true;
  return target.type === 'range' && key.startsWith('Arrow');
}

/**
 * A box that scrolls on its own, focused by Tab to scroll it with the keys: Chromium makes a scroller with nothing
 * focusable in it a tab stop (the incident details above the button bar, incident-view.ts). Its arrow keys scroll it:
 * a handler who tabbed to the victim's record and pressed ↓ to read on was moved to the next call in the queue
 * instead. A box focusable from code only (tabindex: the queue, the toolbar) keeps the arrows as shortcuts.
 */
function scrollerReachedWithTab(el: HTMLElement): boolean {
  if (el.hasAttribute('tabindex') || el === document.body || el === document.documentElement) return false;
  return el.scrollHeight > el.clientHeight && ['auto', 'scroll'].includes(getComputedStyle(el).overflowY);
}

/** Installs the handler; returns its removal. `?` opens the help dialog. */
export function installShortcuts(target: ShortcutTarget): () => void {
  const onKey = (ev: KeyboardEvent) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target, ev.key) || document.querySelector('dialog[open]') !== null) return;
    if (ev.key === '?') {
      const help = document.getElementById('help-dialog') as HTMLDialogElement | null;
      if (help !== null) showModalKeepingFocus(help);
      ev.preventDefault();
      return;
    }
    const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    const s = SHORTCUTS.find((x) => x.key === key);
    if (s === undefined) return;
    ev.preventDefault();
    s.run(target);
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
