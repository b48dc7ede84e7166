// The handset emulator page served at `/` by the control server: plain HTML and one small script, no framework,
// no build step. Each handset is a card with one big button (a press, held or not, or Enter/Space on it sends
// `hold` at once: the simulated handset then holds its button 2.5 s, the alarm at 2 s), a smaller "tap" button, its state, battery, last fix and
// the reports and calls it sent. It polls the control API once a second. Text from the API is set with
// textContent only (never innerHTML), and status changes are announced through an aria-live region.
// While the simulator does not answer (stopped: Ctrl-C), a banner says so on screen, not only to screen readers:
// the cards showed the last state as if all was well. A simulator started again begins its event log at 1
// (`lastSeq` below the page's `since`): the page then reads it from the start, after a "simulator restarted"
// line in each list; it asked for events after the last run's last seq and showed nothing new.

export const EMULATOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TecSOS handset emulator</title>
<style>
  body { font: 16px/1.45 system-ui, sans-serif; margin: 0; background: #f4f4f4; color: #111; }
  header { background: #1d3557; color: #fff; padding: 0.8rem 1.2rem; }
  h1 { font-size: 1.3rem; margin: 0; }
  main { display: flex; flex-wrap: wrap; gap: 1rem; padding: 1rem; }
  .card { background: #fff; border: 1px solid #bbb; border-radius: 10px; padding: 1rem; width: 21rem; }
  .card h2 { font-size: 1.15rem; margin: 0 0 0.4rem; }
  .alarm { display: block; width: 10rem; height: 10rem; margin: 0.6rem auto; border-radius: 50%; border: 6px solid #7a0010;
           background: #c1121f; color: #fff; font-size: 1.25rem; font-weight: 700; cursor: pointer; touch-action: none; }
  .alarm:focus-visible, .tap:focus-visible { outline: 4px solid #ffb703; outline-offset: 3px; }
  .alarm.pressing { background: #7a0010; }
  .tap { font-size: 1rem; padding: 0.3rem 0.9rem; }
  dl { display: grid; grid-template-columns: 7rem 1fr; margin: 0.5rem 0; }
  dt { font-weight: 600; } dd { margin: 0; }
  .state-alarm, .state-calling, .state-in-call { color: #b00020; font-weight: 700; }
  .offline { background: #ffe08a; color: #111; font-weight: 700; margin: 0; padding: 0.6rem 1.2rem; border-bottom: 2px solid #7a5b00; }
  li.restart { list-style: none; margin-left: -1.4rem; font-style: italic; color: #555; }
  ol.sent { max-height: 14rem; overflow: auto; padding-left: 1.4rem; margin: 0.3rem 0 0; font-size: 0.9rem; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style>
</head>
<body>
<header><h1>TecSOS handset emulator</h1><p style="margin:0">Hold a red button for 2 seconds (or click it) to raise an alarm.</p></header>
<p id="offline" class="offline" hidden>The simulator is not answering: it was stopped, or is starting again. This page tries again every second.</p>
<main id="handsets" aria-label="Simulated handsets"></main>
<div id="announce" class="sr-only" aria-live="polite"></div>
<script src="/emulator.js"></script>
</body>
</html>
`;

export const EMULATOR_SCRIPT = `'use strict';
const cards = new Map();
let since = 0;

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function announce(text) { document.getElementById('announce').textContent = text; }

function answering(yes) { document.getElementById('offline').hidden = yes; }

async function send(id, gesture) {
  let r;
  try {
    r = await fetch('/api/handsets/' + encodeURIComponent(id) + '/button', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ gesture }),
    });
  } catch (err) {
    answering(false);
    announce(id + ': ' + gesture + ' not sent: the simulator is not answering');
    return;
  }
  announce(r.ok ? id + ': ' + gesture + ' sent' : id + ': ' + gesture + ' refused (' + r.status + ')');
}

function card(h) {
  const c = el('section', { class: 'card', 'aria-labelledby': 'h-' + h.id });
  c.append(el('h2', { id: 'h-' + h.id }, h.id + ' (' + h.number + ')'));
  const big = el('button', { class: 'alarm', type: 'button', 'aria-label': 'Alarm button of ' + h.id + ': hold 2 seconds or click' }, 'HOLD');
  // The hold goes when the press starts: the simulated handset holds its button itself (2.5 s, the alarm at 2 s).
  // The page waited 2 s before sending it, so a hold as the page asks raised the alarm 4 s after the press.
  big.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    big.classList.add('pressing');
    send(h.id, 'hold');
  });
  const release = () => big.classList.remove('pressing');
  big.addEventListener('pointerup', release);
  big.addEventListener('pointerleave', release);
  // The click that ends a press sends nothing more; one from the keyboard (Enter/Space: detail 0) had no press.
  big.addEventListener('click', (e) => { if (e.detail === 0) send(h.id, 'hold'); });
  const tap = el('button', { class: 'tap', type: 'button' }, 'Tap once');
  tap.addEventListener('click', () => send(h.id, 'tap'));
  const dl = el('dl');
  const fields = {};
  for (const [k, label] of [['state', 'State'], ['battery', 'Battery'], ['position', 'Last fix'], ['coverage', 'Coverage']]) {
    dl.append(el('dt', {}, label)); fields[k] = el('dd'); dl.append(fields[k]);
  }
  const sentList = el('ol', { class: 'sent', 'aria-label': 'What ' + h.id + ' sent' });
  c.append(big, tap, dl, el('h3', { style: 'font-size:1rem;margin:0.4rem 0 0' }, 'Sent'), sentList);
  document.getElementById('handsets').append(c);
  return { fields, sentList, state: '' };
}

function fmtTime(ms) { return new Date(ms).toISOString().slice(11, 19) + 'Z'; }

async function poll() {
  try {
    const { handsets } = await (await fetch('/api/handsets')).json();
    for (const h of handsets) {
      let c = cards.get(h.id);
      if (!c) { c = card(h); cards.set(h.id, c); }
      if (c.state && c.state !== h.state) announce(h.id + ' is now ' + h.state);
      c.state = h.state;
      c.fields.state.textContent = h.state;
      c.fields.state.className = 'state-' + h.state;
      c.fields.battery.textContent = h.battery + ' %';
      c.fields.position.textContent = h.position ? h.position.lat.toFixed(5) + ', ' + h.position.lon.toFixed(5) + ' at ' + fmtTime(h.position.at) : 'no fix yet';
      c.fields.coverage.textContent = h.inCoverage ? 'in coverage' : 'coverage hole';
    }
    let { events, lastSeq } = await (await fetch('/api/events?since=' + since)).json();
    if (lastSeq < since) {
      since = 0;
      for (const c of cards.values()) c.sentList.prepend(el('li', { class: 'restart' }, 'simulator restarted'));
      ({ events } = await (await fetch('/api/events?since=0')).json());
    }
    answering(true);
    for (const e of events) {
      since = e.seq;
      const c = cards.get(e.handsetId);
      if (!c) continue;
      let text;
      if (e.type === 'report') text = e.event + ' n=' + e.counter + ' b=' + e.batteryPct + '%' + (e.position ? ' ' + e.position.lat.toFixed(5) + ',' + e.position.lon.toFixed(5) : ' no fix');
      else if (e.type === 'call') text = 'call ' + e.dialled + ': ' + e.state + (e.line ? ' (line ' + e.line + ')' : '') + (e.reason ? ' ' + e.reason : '');
      else continue;
      c.sentList.prepend(el('li', {}, fmtTime(e.at) + ' ' + text));
    }
  } catch (err) {
    answering(false);
    announce('The simulator is not answering.');
  }
}

poll();
setInterval(poll, 1000);
`;
