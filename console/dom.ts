// A tiny DOM helper instead of a framework: h('div', { class: 'x', onclick }, 'text', child).
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
type Child = Node | string | null | undefined | false;

/** The listeners h() gave each element (event type -> listener): a row kept by replaceChildren takes the new ones. */
const listenersOf = new WeakMap<Element, Map<string, EventListener>>();

/** Creates an element; `on*` attributes are listeners, false/null/undefined attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
      const own = listenersOf.get(el) ?? new Map<string, EventListener>();
      own.set(name.slice(2), value);
      listenersOf.set(el, own);
    } else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/**
 * Replaces an element's children, keeping the keyboard focus where the handler was:
 * - A child with a `data-key` that was there before (a queue row drawn again) is kept, the same element, made like
 *   its new drawing (attributes, h() listeners, text): the 1 s re-draw built every row anew and focused the new
 *   one, so a screen reader was given a new focused element every second. The focused row is not moved either
 *   (a moved element loses the focus): the others are put around it.
 * - Otherwise the focus goes to the element with the same `data-focus-key` (one element per key). A row whose key
 *   changed (an alarm row whose 999 call rang, a call's row back to its alarm row) is found by its
 *   `data-focus-alias` (the key it also stands for, its incident's): the element whose key is the old one's
 *   alias, else the first whose alias is the old one's key. When that was in a row that is gone (its call ended),
 *   to the nearest row after it that is still there, else before it, else to the nearest focusable (tabindex)
 *   container: it fell to the page, and a keyboard handler's next Tab started from the top.
 * - A control that is not a row and cannot take the focus back (an action button drawn again disabled while its
 *   request is pending) leaves it on its nearest focusable (tabindex) container inside `parent`, the action
 *   toolbar: a disabled button takes no focus, and it fell to the page. One whose key is gone (an action button's
 *   key names its call or incident: another one is shown now) goes to its `data-focus-fallback` key (the toolbar).
 * - A control that is not a row hands the focus on only when it has a `data-focus-group` (the supervisor's
 *   incident links): to the nearest control of its group after it, else before it, else to its
 *   `data-focus-fallback` key (her Refresh button), never to the page.
 * Without scrolling (preventScroll): the queue is redrawn every second, and a focus() that scrolls took the
 * queue back to the focused row, out from under a ringing TecSOS row just brought into view.
 */
export function replaceChildren(parent: HTMLElement, ...children: (Child | Child[])[]): void {
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && parent.contains(active) && active !== parent ? active : null;
  const key = focused?.dataset['focusKey'];
  // Only a row (a keyed child) hands the focus on to a neighbour: a button of the incident panel that went (or was
  // disabled) does not, or a second Enter after Accept call would have pressed Hang up.
  const inRow = focused?.closest('[data-key]')?.parentElement === parent;
  const group = focused?.dataset['focusGroup'];
  const keysBefore = key === undefined ? [] : [...parent.querySelectorAll<HTMLElement>('[data-focus-key]')]
    .filter((el) => inRow || el.dataset['focusGroup'] === group).map((el) => el.dataset['focusKey'] as string);
  const old = new Map<string, Element>();
  for (const c of parent.children) {
    const k = c.getAttribute('data-key');
    if (k !== null) old.set(k, c);
  }
  const next: Node[] = children.flat().filter((c): c is Node | string => c !== null && c !== undefined && c !== false)
    .map((c) => (typeof c === 'string' ? document.createTextNode(c) : c))
    .map((c) => {
      const k = c instanceof Element ? c.getAttribute('data-key') : null;
      const was = k === null ? undefined : old.get(k);
      if (was === undefined || !(c instanceof Element) || was.tagName !== c.tagName) return c;
      old.delete(k as string);
      morph(was, c);
      return was;
    });
  place(parent, next, focused);
  if (key === undefined || (focused !== null && focused.isConnected && document.activeElement === focused)) return;
  const find = (k: string) => parent.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(k)}"]`);
  if (!inRow && group === undefined) {
    const fallback = focused?.dataset['focusFallback'];
    if (!focusKeyed(parent, key) && fallback !== undefined) focusKeyed(parent, fallback);
    return;
  }
  const alias = focused?.dataset['focusAlias'];
  const fallback = inRow ? undefined : focused?.dataset['focusFallback'];
  const at = keysBefore.indexOf(key);
  const byAlias = (k: string) => parent.querySelector<HTMLElement>(`[data-focus-alias="${CSS.escape(k)}"]`);
  const candidates: (() => HTMLElement | null)[] = [
    () => find(key),
    () => (alias === undefined ? null : find(alias)),
    () => byAlias(key),
    ...[...keysBefore.slice(at + 1), ...keysBefore.slice(0, Math.max(0, at)).reverse()].map((k) => () => find(k)),
    () => (fallback === undefined ? null : find(fallback)),
  ];
  for (const candidate of candidates) {
    const el = candidate();
    if (el === null) continue;
    el.focus({ preventScroll: true });
    if (document.activeElement === el) return;
  }
  for (let c: HTMLElement | null = parent.closest<HTMLElement>('[tabindex]'); c !== null; c = c.parentElement?.closest<HTMLElement>('[tabindex]') ?? null) {
    c.focus({ preventScroll: true });
    if (document.activeElement === c) return;
  }
}

/**
 * Focuses the element of `root` with this `data-focus-key`, without scrolling; when it cannot take the focus (it is
 * disabled), its nearest focusable (tabindex) container inside `root`. Whether the focus is now there.
 */
export function focusKeyed(root: Element | Document, key: string): boolean {
  const el = root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
  if (el === null) return false;
  el.focus({ preventScroll: true });
  for (let c = el.parentElement?.closest<HTMLElement>('[tabindex]') ?? null; document.activeElement !== el && c !== null && root.contains(c); c = c.parentElement?.closest<HTMLElement>('[tabindex]') ?? null) {
    c.focus({ preventScroll: true });
    if (document.activeElement === c) return true;
  }
  return document.activeElement === el;
}

/**
 * Opens a modal dialog; when it closes, gives the focus back to the control with the focus key of the one focused
 * now (focusKeyed). The dialog gives it back to that element, but the incident panel is drawn again behind an open
 * dialog (an action pending, a new fix), so the element was gone: the focus stayed on the closed dialog's button,
 * then fell to the page. When the control itself went while the dialog was open (a queue row whose incident a
 * colleague closed behind the close form, whose caller hung up behind "Hang up?"), the focus goes on as
 * replaceChildren hands it on: to the row that stands for it now (its alias), else the nearest row (or link of its
 * group) after it as they were when the dialog opened, else before it, else its group's fallback.
 */
export function showModalKeepingFocus(dlg: HTMLDialogElement): void {
  const from = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const key = from?.dataset['focusKey'];
  dlg.showModal();
  if (from === null || key === undefined) return;
  const row = from.closest('[data-key]');
  const group = from.dataset['focusGroup'];
  const scope = group !== undefined ? [...document.querySelectorAll<HTMLElement>(`[data-focus-group="${CSS.escape(group)}"]`)]
    : row?.parentElement ? [...row.parentElement.querySelectorAll<HTMLElement>('[data-focus-key]')] : [];
  const keys = scope.map((el) => el.dataset['focusKey'] as string);
  const at = keys.indexOf(key);
  const alias = from.dataset['focusAlias'];
  const fallback = from.dataset['focusFallback'];
  const byAlias = (k: string): boolean => {
    const el = document.querySelector<HTMLElement>(`[data-focus-alias="${CSS.escape(k)}"]`);
    el?.focus({ preventScroll: true });
    return el !== null && document.activeElement === el;
  };
  const tries: (() => boolean)[] = [
    () => focusKeyed(document, key),
    () => alias !== undefined && focusKeyed(document, alias),
    () => byAlias(key),
    ...(at < 0 ? [] : [...keys.slice(at + 1), ...keys.slice(0, at).reverse()]).map((k) => () => focusKeyed(document, k)),
    () => fallback !== undefined && focusKeyed(document, fallback),
  ];
  dlg.addEventListener('close', () => {
    const now = document.activeElement;
    if (now !== null && now !== document.body && !dlg.contains(now)) return;
    for (const t of tries) if (t()) return;
  }, { once: true });
}

/** Puts `next` in `parent` in that order; the focused element, when kept, stays where it is in the tree. */
function place(parent: HTMLElement, next: readonly Node[], focused: HTMLElement | null): void {
  const now = [...parent.childNodes];
  if (now.length === next.length && now.every((n, i) => n === next[i])) return;
  const pinned = focused === null ? -1 : next.findIndex((n) => n === focused || n.contains(focused));
  if (pinned < 0) {
    parent.replaceChildren(...next);
    return;
  }
  const stay = next[pinned] as ChildNode;
  for (const n of now) if (n !== stay) n.remove();
  stay.before(...next.slice(0, pinned));
  stay.after(...next.slice(pinned + 1));
}

/** Makes `el` like `like` (same tag): its attributes, its h() listeners, its children (kept where they match). */
function morph(el: Element, like: Element): void {
  for (const a of [...el.attributes]) if (!like.hasAttribute(a.name)) el.removeAttribute(a.name);
  for (const a of like.attributes) if (el.getAttribute(a.name) !== a.value) el.setAttribute(a.name, a.value);
  const had = listenersOf.get(el);
  const has = listenersOf.get(like);
  for (const [type, fn] of had ?? []) el.removeEventListener(type, fn);
  for (const [type, fn] of has ?? []) el.addEventListener(type, fn);
  if (has === undefined) listenersOf.delete(el);
  else listenersOf.set(el, has);
  const a = [...el.childNodes];
  const b = [...like.childNodes];
  const same = a.length === b.length && a.every((n, i) => {
    const m = b[i] as Node;
    return n.nodeType === m.nodeType && (!(n instanceof Element) || n.tagName === (m as Element).tagName) && (n.nodeType === Node.TEXT_NODE || n instanceof Element);
  });
  if (!same) {
    el.replaceChildren(...b);
    return;
  }
  a.forEach((n, i) => {
    const m = b[i] as Node;
    if (n instanceof Element) morph(n, m as Element);
    else if (n.nodeValue !== m.nodeValue) n.nodeValue = m.nodeValue;
  });
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`console: #${id} missing from index.html`);
  return el as T;
}
