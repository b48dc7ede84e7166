import { describe, expect, it } from 'vitest';
import { LineSplitter, splitLines, type SplitterEvent } from '../../../protocol/at/index.js';
import { bytesOf } from './fake-modem.js';

const lines = (s: string): (string | '<prompt>')[] =>
  splitLines(bytesOf(s)).map((e) => (e.kind === 'line' ? e.text : '<prompt>'));

function feedInChunks(s: string, size: number): SplitterEvent[] {
  const out: SplitterEvent[] = [];
  const sp = new LineSplitter((e) => out.push(e));
  const b = bytesOf(s);
  for (let i = 0; i < b.length; i += size) sp.push(b.slice(i, i + size));
  return out;
}

describe('LineSplitter', () => {
  it('splits an answer with echo (bare CR), CR LF, CR CR LF and empty lines', () => {
    expect(lines('AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n')).toEqual(['AT+CSQ', '+CSQ: 20,99', 'OK']);
    expect(lines('\r\r\n\r\nRING\r\r\n\r\n\r\n')).toEqual(['RING']);
    expect(lines('ATE1\rOK\n')).toEqual(['ATE1', 'OK']);
  });

  it('gives the same events whatever the chunk size, byte-at-a-time included', () => {
    const s = 'AT+CMGS=28\r\r\n> 0791447758100650\x1a\r\n+CMGS: 1\r\n\r\nOK\r\n';
    const whole = feedInChunks(s, s.length);
    expect(whole.map((e) => (e.kind === 'line' ? e.text : '>'))).toEqual(['AT+CMGS=28', '>', '0791447758100650', '+CMGS: 1', 'OK']);
    for (const size of [1, 2, 3, 7]) expect(feedInChunks(s, size)).toEqual(whole);
  });

  it('recognises the "> " prompt with no line end, also split across chunks ("\\r\\n>" then " ")', () => {
    const out: SplitterEvent[] = [];
    const sp = new LineSplitter((e) => out.push(e));
    sp.push(bytesOf('\r\n>'));
    expect(out).toEqual([]);
    sp.push(bytesOf(' '));
    expect(out).toEqual([{ kind: 'prompt' }]);
    expect(sp.stats.prompts).toBe(1);
  });

  it('treats a line that is only ">" as the prompt, but not ">" inside a line', () => {
    expect(lines('\r\n>\r\n')).toEqual(['<prompt>']);
    expect(lines('+CLIP: ">x",129\r\n')).toEqual(['+CLIP: ">x",129']);
  });

  it('skips noise bytes (NUL, 0xFF, other controls) and counts them', () => {
    const sp = new LineSplitter(() => undefined);
    const out = splitLines(Uint8Array.from([0x00, 0xff, 0x4f, 0x00, 0x4b, 0xff, 0x0d, 0x0a, 0x07, 0x52, 0x49, 0x4e, 0x47, 0x0a]));
    expect(out).toEqual([
      { kind: 'line', text: 'OK' },
      { kind: 'line', text: 'RING' },
    ]);
    sp.push(Uint8Array.from([0x00, 0xff, 0x1b, 0x7f]));
    expect(sp.stats.noiseBytes).toBe(4);
  });

  it('keeps UTF-8 text (an alpha tag) intact', () => {
    const bytes = new TextEncoder().encode('+CLIP: "+447700900456",145,,,"Zoë",0\r\n');
    expect(splitLines(bytes)).toEqual([{ kind: 'line', text: '+CLIP: "+447700900456",145,,,"Zoë",0' }]);
  });

  it('drops an over-long line up to its end and carries on', () => {
    const sp = new LineSplitter((e) => out.push(e), { maxLineBytes: 32 });
    const out: SplitterEvent[] = [];
    sp.push(bytesOf('X'.repeat(100) + '\r\nOK\r\n'));
    expect(out).toEqual([{ kind: 'line', text: 'OK' }]);
    expect(sp.stats.overlongLines).toBe(1);
  });
});
