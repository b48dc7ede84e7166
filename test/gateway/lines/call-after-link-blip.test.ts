// An answered call outlives a lost link (call-tracker.ts, LINK_GRACE_MS) until the line's first poll asks AT+CLCC.
// If the caller hung up while the link was down and a NEW caller rings while the line re-initialises, the RINGs
// were ignored (a call was still 'answered'): the new call was not reported until the poll, and the handler's
// hang-up of the call the console still showed answered went out as an ATH (urgent, ahead of the init) that
// rejected the new caller, never reported at all. Scripted modem: the test decides when the init goes on.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { PortCloseCode, type Port, type PortCloseReason } from '../../../hardware/ports/index.js';
import { ModemLineBank } from '../../../gateway/lines/line-bank.js';
import { Recorder } from './harness.js';

/** The modem's answer lines to one command line (`spec`: which line's modem, when a bank has several). */
type Script = (command: string, spec?: string) => string[];

/** A Port whose far end answers each command line with the script's lines (CRLF-framed), asynchronously. */
function scriptedPort(spec: string, script: Script, log: string[]): Port & { push(lines: string[]): void } {
  const data = new Set<(b: Uint8Array) => void>();
  const closeListeners = new Set<(r: PortCloseReason) => void>();
  let open = true;
  let resolveClosed!: (r: PortCloseReason) => void;
  const closed = new Promise<PortCloseReason>((r) => (resolveClosed = r));
  let typed = '';
  const send = (lines: string[]) => {
    const bytes = new TextEncoder().encode(lines.map((l) => `\r\n${l}\r\n`).join(''));
    setTimeout(() => {
      if (open) for (const l of data) l(bytes);
    }, 0);
  };
  return {
    push: send,
    spec,
    kind: 'mock',
    get isOpen() {
      return open;
    },
    async write(bytes) {
      typed += typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
      // A command ends with CR; an SMS body (the PDU after AT+CMGS's prompt) with Ctrl-Z.
      for (let i = typed.search(/[\r\x1a]/); i >= 0; i = typed.search(/[\r\x1a]/)) {
        const line = typed.slice(0, i);
        typed = typed.slice(i + 1);
        log.push(line);
        send(script(line, spec));
      }
    },
    onData(l) {
      data.add(l);
      return () => data.delete(l);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    closed,
    async close() {
      if (!open) return;
      open = false;
      const r = { code: PortCloseCode.LOCAL, message: `${spec} closed` };
      resolveClosed(r);
      for (const l of closeListeners) l(r);
    },
  };
}

const standard: Script = (c) => {
  if (c === 'AT+CREG?') return ['+CREG: 2,1,"1A2B","00C3"', 'OK'];
  if (c === 'AT+CSQ') return ['+CSQ: 17,99', 'OK'];
  if (c === 'AT+CPIN?') return ['+CPIN: READY', 'OK'];
  if (c === 'AT+CMGL=4') return ['OK'];
  return ['OK'];
};

async function lineWith(script: Script, specs: readonly string[] = ['mock:scripted'], clock: ManualClock = new ManualClock()) {
  const rec = new Recorder();
  const log: string[] = [];
  const ports: Array<ReturnType<typeof scriptedPort>> = [];
  const open = async (spec: string) => {
    const p = scriptedPort(spec, script, log);
    ports.push(p);
    return p;
  };
  const bank = new ModemLineBank({ specs, listener: rec, clock, random: new SeededRandom(5), open });
  const settle = async () => {
    for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 0));
  };
  /** Unsolicited output from the modem on its current port. */
  const urc = async (...lines: string[]) => {
    ports.at(-1)?.push(lines);
    await settle();
  };
  return { clock, rec, log, bank, settle, urc, ports };
}


describe('an answered call, a link blip, and a new caller', () => {
  it('a RING and +CLIP while the answered call is unconfirmed: the old call ended by network, the new caller rings at once', async () => {
    let holdInit = false;
    const x = await lineWith((c) => (holdInit && c === 'AT+CLIP=1' ? [] : standard(c)));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' });
    holdInit = true; // the re-initialisation waits at AT+CLIP=1: no poll, no AT+CLCC yet
    await x.ports.at(-1)?.close(); // the device server drops the connection; she hangs up meanwhile
    await x.settle();
    expect(x.bank.health()[0]?.state).toBe('down');
    x.clock.advance(31_000);
    await x.settle();
    expect(x.bank.health()[0]?.state).toBe('initialising');
    expect(x.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'answered']); // still answered: the grace
    await x.urc('RING', '+CLIP: "+447700900222",145,,,,0'); // the new caller
    const seen = x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind === 'ringing' ? `ringing ${c.number}` : c.kind));
    expect(seen).toEqual(['ringing +447700900111', 'answered', 'ended by network', 'ringing +447700900222']);
    expect(x.log).not.toContain('AT+CLCC');
    await x.urc('OK'); // AT+CLIP=1 ends, the init and the first poll go on
    for (let i = 0; i < 5; i++) await x.settle();
    expect(x.rec.calls).toHaveLength(4); // nothing more: the new call still rings
    await x.bank.close();
  });

  it('a +CLIP alone (a modem that sends it before RING) is taken the same way', async () => {
    let holdInit = false;
    const x = await lineWith((c) => (holdInit && c === 'AT+CLIP=1' ? [] : standard(c)));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' });
    holdInit = true;
    await x.ports.at(-1)?.close();
    await x.settle();
    x.clock.advance(31_000);
    await x.settle();
    await x.urc('+CLIP: "+447700900222",145,,,,0');
    expect(x.rec.calls.slice(2)).toMatchObject([{ kind: 'ended', endedBy: 'network' }, { kind: 'ringing', number: '+447700900222' }]);
    await x.bank.close();
  });
});
