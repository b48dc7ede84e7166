// The control API's examples as people send them: `curl -d '{"gesture":"hold"}'` (Content-Type
// application/x-www-form-urlencoded) and fetch with a string body (text/plain) were 415s; they press the button
// now. Those are also the types another web page may send without a preflight, so a foreign Origin is refused
// and the handset stays idle; the emulator page's own origin and programs sending no Origin pass.
import { afterEach, describe, expect, it } from 'vitest';
import { startControlWorld } from './control-world.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world() {
  const w = await startControlWorld(cleanups);
  const press = (id: string, headers: Record<string, string>, body = '{"gesture":"hold"}') =>
    fetch(`${w.control.url}/api/handsets/${id}/button`, { method: 'POST', headers, body });
  return { ...w, press };
}

describe('control API bodies whatever the declared Content-Type', () => {
  it('curl -d (form-urlencoded) and text/plain JSON bodies press the button: the handset goes into alarm', async () => {
    const { run, state, press } = await world();
    expect((await press('TS-0001', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(202);
    expect((await press('TS-0002', { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(202);
    await run(3000);
    expect(state('TS-0001')).not.toBe('idle');
    expect(state('TS-0002')).not.toBe('idle');
    const bad = await press('TS-0003', { 'content-type': 'application/x-www-form-urlencoded' }, 'gesture=hold');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/not JSON/);
  });

  it('a POST from another origin is refused and changes nothing; the page\'s own origin passes', async () => {
    const { run, state, press, control } = await world();
    const foreign = await press('TS-0001', { 'content-type': 'text/plain', origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    await run(3000);
    expect(state('TS-0001')).toBe('idle');
    expect((await press('TS-0002', { 'content-type': 'application/json', origin: control.url })).status).toBe(202);
    // Reading is not a state change: GETs are answered whatever the Origin.
    expect((await fetch(`${control.url}/api/handsets`, { headers: { origin: 'http://evil.example' } })).status).toBe(200);
  });
});
