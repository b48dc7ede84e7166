// The SMS intake of one line against a modem played by the test: what is read, handed to the core, deleted,
// and counted, where the line tests do not look (found by a hand-run mutation check). Nothing may be lost: a
// message leaves the SIM only once the core has it, and a delete the modem refused is retried, never the message.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import type { AtCommand, AtEngine, AtResult, PendingCommand } from '../../../protocol/at/index.js';
import { MessageIntake } from '../../../gateway/lines/message-intake.js';
import type { IncomingSms, LineMetrics } from '../../../gateway/lines/types.js';

const PDU = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
const OTHER = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36E';

const ok = (command: string, lines: string[] = []): AtResult => ({ status: 'final', command, ok: true, final: { kind: 'OK', success: true, line: 'OK' }, lines });
const refused = (command: string): AtResult => ({ status: 'final', command, ok: false, final: { kind: 'CMS_ERROR', success: false, line: '+CMS ERROR: 320' }, lines: [] });

/**
 * A modem whose answers the test writes: `answer(line)` gives the result for a command (default OK, no lines);
 * `hold` keeps every command waiting until `release()`.
 */
function modem(answer: (line: string) => AtResult = (l) => ok(l)) {
  const sent: string[] = [];
  let hold = false;
  const held: (() => void)[] = [];
  const run = (cmd: AtCommand): Promise<AtResult> => {
    sent.push(cmd.line);
    if (!hold) return Promise.resolve(answer(cmd.line));
    return new Promise((resolve) => held.push(() => resolve(answer(cmd.line))));
  };
  const engine = {
    send: (cmd: AtCommand) => run(cmd),
    enqueue: (cmd: AtCommand): PendingCommand => ({ id: sent.length, command: cmd.line, result: run(cmd), cancel: () => undefined, queued: false }),
  } as unknown as AtEngine;
  return {
    engine,
    sent,
    holdAll: () => (hold = true),
    release: () => held.splice(0).forEach((f) => f()),
  };
}

function intake(m: ReturnType<typeof modem>) {
  const clock = new ManualClock();
  const delivered: IncomingSms[] = [];
  const warnings: string[] = [];
  const metrics = { lineId: 'L1', commands: 0, timeouts: 0, reconnects: 0, smsReceived: 0, smsDeleted: 0, smsCorrupt: 0, smsNotMine: 0 } as LineMetrics;
  let up = true;
  const i = new MessageIntake({ lineId: 'L1', clock, engine: () => (up ? m.engine : undefined), deliver: (s) => delivered.push(s), metrics, warn: (w) => warnings.push(w) });
  const flush = async () => {
    for (let k = 0; k < 20; k++) await Promise.resolve();
  };
  return { i, clock, delivered, warnings, metrics, flush, down: () => (up = false), back: () => (up = true) };
}

const listing = (...entries: [number, string][]) => entries.flatMap(([index, pdu]) => [`+CMGL: ${index},0,,27`, pdu]);

describe('MessageIntake', () => {
  it('an unreadable +CMTI is counted and the storage listed, so the message it named is still read', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([3, PDU])) : ok(l)));
    const x = intake(m);
    expect(x.i.onUrc({ name: '+CMTI', line: '+CMTI: "SM"' })).toBe(true);
    await x.flush();
    expect(x.metrics.smsCorrupt).toBe(1);
    expect(m.sent).toContain('AT+CMGL=4');
    expect(x.delivered.map((s) => [s.index, s.pdu])).toEqual([[3, PDU]]);
  });

  it('an unreadable +CMT is counted (nothing else to do: it was never stored)', () => {
    const x = intake(modem());
    expect(x.i.onUrc({ name: '+CMT', line: '+CMT: ,27', body: 'ZZ' })).toBe(true);
    expect(x.metrics.smsCorrupt).toBe(1);
    expect(x.delivered).toEqual([]);
  });

  it('past 32 reads waiting, a +CMTI is served by one listing, not a 33rd read', async () => {
    const m = modem();
    m.holdAll();
    const x = intake(m);
    for (let k = 1; k <= 34; k++) x.i.onUrc({ name: '+CMTI', line: `+CMTI: "SM",${k}` });
    expect(m.sent.filter((l) => l.startsWith('AT+CMGR=')).length).toBe(32);
    expect(m.sent.filter((l) => l === 'AT+CMGL=4').length).toBeGreaterThanOrEqual(1);
    m.release();
    await x.flush();
  });

  it('a listing the modem refuses resolves false and hands nothing out', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? refused(l) : ok(l)));
    const x = intake(m);
    expect(await x.i.scan()).toBe(false);
    expect(x.warnings.join()).toContain('listing stored SMS failed');
  });

  it('a corrupt stored entry is counted once per connection, again after a reconnect', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, ['+CMGL: 4,0,,27', 'ZZ']) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await x.i.scan();
    expect(x.metrics.smsCorrupt).toBe(1);
    expect(x.warnings).toEqual([expect.stringContaining('left on the modem')]);
    x.i.forget();
    await x.i.scan();
    expect(x.metrics.smsCorrupt).toBe(2);
  });

  it('a message whose delete the SIM refuses is not handed out again at each scan, only its delete retried; after a reconnect it is handed out again', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([2, PDU])) : l === 'AT+CMGR=2' ? ok(l, ['+CMGR: 0,,27', PDU]) : l === 'AT+CMGD=2' ? refused(l) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    expect(x.delivered).toHaveLength(1);
    await expect(x.delivered[0]!.release()).rejects.toThrow(/not deleted/);
    const deletes = () => m.sent.filter((l) => l === 'AT+CMGD=2').length;
    expect(deletes()).toBe(1);
    await x.i.scan();
    await x.flush();
    expect(x.delivered).toHaveLength(1);
    expect(deletes()).toBe(2);
    expect(x.warnings.filter((w) => w.includes('refuses to delete'))).toHaveLength(1); // said once, not at every scan
    x.i.forget(); // a new connection: what was handed out may not have been stored
    await x.i.scan();
    expect(x.delivered).toHaveLength(2);
  });

  it('another corrupt entry in the same slot is a new one: counted again', async () => {
    let pdu = 'ZZ';
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, ['+CMGL: 4,0,,27', pdu]) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    pdu = 'YY';
    await x.i.scan();
    expect(x.metrics.smsCorrupt).toBe(2);
  });

  it('the memory of corrupt entries is bounded (1000): past it, it starts again and some are counted again', async () => {
    const entries = Array.from({ length: 1000 }, (_, k) => [`+CMGL: ${k + 1},0,,27`, 'ZZ']).flat();
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, entries) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    expect(x.metrics.smsCorrupt).toBe(1000);
    await x.i.scan();
    expect(x.metrics.smsCorrupt).toBeGreaterThan(1000);
  });

  it('a listing hands out received messages only (stat 0 or 1), not stored outgoing ones (stat 2, 3)', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, ['+CMGL: 1,2,,27', PDU, '+CMGL: 2,3,,27', PDU, '+CMGL: 3,1,,27', OTHER]) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    expect(x.delivered.map((s) => s.index)).toEqual([3]);
  });

  it('a new message in the slot of one whose delete the SIM refused is handed out', async () => {
    let stored = PDU;
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([2, stored])) : l === 'AT+CMGR=2' ? ok(l, ['+CMGR: 0,,27', stored]) : l === 'AT+CMGD=2' ? refused(l) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await expect(x.delivered[0]!.release()).rejects.toThrow(/not deleted/);
    stored = OTHER; // someone cleared the slot by hand; a new message took it
    await x.i.scan();
    expect(x.delivered.map((s) => s.pdu)).toEqual([PDU, OTHER]);
  });

  it('a +CMTI for a slot found empty (another program read it) is not a reason to list the storage', async () => {
    const m = modem((l) => (l === 'AT+CMGR=5' ? ok(l, ['+CMGR: 0,,0']) : ok(l)));
    const x = intake(m);
    x.i.onUrc({ name: '+CMTI', line: '+CMTI: "SM",5' });
    await x.flush();
    expect(m.sent).toEqual(['AT+CMGR=5']);
    expect(x.metrics.smsNotMine).toBe(1);
  });

  it('a message handed out and not yet released is not handed out again by a scan, unless the slot holds another message', async () => {
    let stored = PDU;
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, stored])) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await x.i.scan();
    expect(x.delivered).toHaveLength(1);
    stored = OTHER;
    await x.i.scan();
    expect(x.delivered.map((s) => s.pdu)).toEqual([PDU, OTHER]);
  });

  it('a message neither released nor failed is handed out again after 300 s, not before', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU])) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    x.clock.advance(299_999);
    await x.i.scan();
    expect(x.delivered).toHaveLength(1);
    x.clock.advance(1);
    await x.i.scan();
    expect(x.delivered).toHaveLength(2);
  });

  it('releases of a line run one at a time: the second read-back waits for the first delete', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU], [2, OTHER])) : l === 'AT+CMGR=1' ? ok(l, ['+CMGR: 0,,27', PDU]) : l === 'AT+CMGR=2' ? ok(l, ['+CMGR: 0,,27', OTHER]) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    m.holdAll();
    const both = Promise.all(x.delivered.map((s) => s.release()));
    await x.flush();
    expect(m.sent.slice(1)).toEqual(['AT+CMGR=1']);
    for (let k = 0; k < 4; k++) {
      m.release();
      await x.flush();
    }
    await both;
    expect(m.sent.slice(1)).toEqual(['AT+CMGR=1', 'AT+CMGD=1', 'AT+CMGR=2', 'AT+CMGD=2']);
    expect(x.metrics.smsDeleted).toBe(2);
  });

  it('a release that fails (line down) leaves the message to be handed out again by the next scan', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU])) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    x.down();
    await expect(x.delivered[0]!.release()).rejects.toThrow(/line down/);
    x.back();
    await x.i.scan();
    expect(x.delivered).toHaveLength(2);
  });

  it('a late release of a message whose slot now holds a newer one (handed out) leaves the newer one handed out', async () => {
    let stored = PDU;
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, stored])) : l === 'AT+CMGR=1' ? ok(l, ['+CMGR: 0,,27', stored]) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    stored = OTHER;
    await x.i.scan();
    await x.delivered[0]!.release(); // the read-back finds the newer message: nothing deleted
    expect(m.sent).not.toContain('AT+CMGD=1');
    await x.i.scan();
    expect(x.delivered.map((s) => s.pdu)).toEqual([PDU, OTHER]);
  });

  it('a read-back the modem refuses deletes nothing and the release fails (the core logs it; the message stays)', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU])) : l === 'AT+CMGR=1' ? refused(l) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await expect(x.delivered[0]!.release()).rejects.toThrow(/read-back/);
    expect(m.sent).not.toContain('AT+CMGD=1');
  });

  it('a read-back this parser cannot read that carries the very PDU (a header it does not know, a trailing space) is the same message: deleted', async () => {
    for (const readBack of [['+CMGR: x', PDU], ['+CMGR: 0,,27', `${PDU} `]]) {
      const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU])) : l === 'AT+CMGR=1' ? ok(l, readBack) : ok(l)));
      const x = intake(m);
      await x.i.scan();
      await x.delivered[0]!.release();
      expect(m.sent).toContain('AT+CMGD=1');
      expect(x.metrics.smsDeleted).toBe(1);
    }
  });

  it('a slot found empty at the release forgets the message: listed again, it is handed out again (never lost)', async () => {
    const readBack = ['+CMGR: 0,,0'];
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU])) : l === 'AT+CMGR=1' ? ok(l, readBack) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await x.delivered[0]!.release();
    expect(m.sent).not.toContain('AT+CMGD=1');
    await x.i.scan();
    expect(x.delivered).toHaveLength(2);
  });

  it('a refused delete whose slot is then found empty is forgotten: the message listed there again is handed out', async () => {
    let readBack = ['+CMGR: 0,,27', PDU];
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([2, PDU])) : l === 'AT+CMGR=2' ? ok(l, readBack) : l === 'AT+CMGD=2' ? refused(l) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await expect(x.delivered[0]!.release()).rejects.toThrow(/not deleted/);
    readBack = ['+CMGR: 0,,0']; // cleared by hand between the listing and the retried delete's read-back
    await x.i.scan();
    await x.flush();
    readBack = ['+CMGR: 0,,27', PDU];
    await x.i.scan();
    await x.flush();
    expect(x.delivered).toHaveLength(2);
  });

  it('a delete that got no answer is not taken as refused: the message is handed out again at the next scan', async () => {
    const timeout = (command: string): AtResult => ({ status: 'timeout', command, ok: false, phase: 'answer', lines: [] });
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU])) : l === 'AT+CMGR=1' ? ok(l, ['+CMGR: 0,,27', PDU]) : l === 'AT+CMGD=1' ? timeout(l) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await expect(x.delivered[0]!.release()).rejects.toThrow(/no answer/);
    expect(x.warnings.join()).not.toContain('refuses');
    await x.i.scan();
    expect(x.delivered).toHaveLength(2);
  });

  it('after a delete, the same PDU stored in that slot again (the network resent it) is handed out, not taken for the one deleted', async () => {
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([1, PDU])) : l === 'AT+CMGR=1' ? ok(l, ['+CMGR: 0,,27', PDU]) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await x.delivered[0]!.release();
    expect(x.metrics.smsDeleted).toBe(1);
    await x.i.scan();
    expect(x.delivered).toHaveLength(2);
  });

  it('a delete the SIM refused then accepted on a retry: the same PDU stored there again is handed out', async () => {
    let refuse = true;
    const m = modem((l) => (l === 'AT+CMGL=4' ? ok(l, listing([2, PDU])) : l === 'AT+CMGR=2' ? ok(l, ['+CMGR: 0,,27', PDU]) : l === 'AT+CMGD=2' && refuse ? refused(l) : ok(l)));
    const x = intake(m);
    await x.i.scan();
    await expect(x.delivered[0]!.release()).rejects.toThrow(/not deleted/);
    refuse = false;
    await x.i.scan(); // the retried delete goes through
    await x.flush();
    expect(x.metrics.smsDeleted).toBe(1);
    await x.i.scan();
    await x.flush();
    expect(x.delivered).toHaveLength(2);
  });
});
