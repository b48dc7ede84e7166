// The fan-out's framing against an independent decoder: ws's own Receiver (the code a Node client runs, which
// rejects a masked server frame, a bad length, RSV bits without an extension, invalid UTF-8) must read back
// exactly the texts, one message per frame, at every length class of RFC 6455 5.2 (7-bit, 16-bit, 64-bit),
// with multi-byte UTF-8, and from any event of a run onwards.
import { describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { TextFrames } from '../../../gateway/fanout/text-frames.js';

/** ws's frame parser (lib/receiver.js; exported at run time, not in @types/ws). */
type ReceiverLike = Writable & { on(e: 'message', l: (data: Buffer, isBinary: boolean) => void): ReceiverLike; on(e: 'error', l: (err: Error) => void): ReceiverLike };
const Receiver = (ws as unknown as { Receiver: new (options: { isServer: boolean }) => ReceiverLike }).Receiver;

/** Feeds `bytes` to a client-side ws Receiver (in uneven chunks); returns each message as text, or the error. */
function decode(bytes: Buffer): { messages: string[]; error: Error | undefined } {
  const messages: string[] = [];
  let error: Error | undefined;
  const r = new Receiver({ isServer: false });
  r.on('message', (data: Buffer, isBinary: boolean) => messages.push(isBinary ? `BINARY:${data.toString('hex')}` : data.toString('utf8')));
  r.on('error', (e: Error) => (error = e));
  for (let off = 0; off < bytes.length; off += 7777) r.write(bytes.subarray(off, off + 7777));
  return { messages, error };
}

/** A JSON text of `n` characters (bytes, for a one-byte `fill`). */
const text = (n: number, fill = 'x') => `{"t":"${fill.repeat(n - 8)}"}`;

describe('TextFrames', () => {
  it('frames texts of every length class so that ws reads back exactly the same messages', () => {
    const texts = [text(12), text(125), text(126), text(65535), text(65536), text(200_000), text(40, 'é'), `{"n":"Zoë 👩‍🚒 ✓"}`];
    const frames = new TextFrames(texts);
    const { messages, error } = decode(frames.bytes);
    expect(error).toBeUndefined();
    expect(messages).toEqual(texts);
    // Headers: 2 bytes up to 125, 4 up to 65535, 10 beyond; FIN + text opcode; never masked.
    expect([...frames.bytes.subarray(0, 2)]).toEqual([0x81, 12]);
    expect(frames.bytes.length).toBe(texts.reduce((sum, t) => {
      const len = Buffer.byteLength(t);
      return sum + len + (len < 126 ? 2 : len < 65536 ? 4 : 10);
    }, 0));
  });

  it('leaves out events without a text and writes the tail from any event on', () => {
    const texts = ['{"seq":1}', null, '{"seq":3}', null, '{"seq":5}'];
    const frames = new TextFrames(texts);
    expect(decode(frames.tailFrom(0)).messages).toEqual(['{"seq":1}', '{"seq":3}', '{"seq":5}']);
    expect(decode(frames.tailFrom(1)).messages).toEqual(['{"seq":3}', '{"seq":5}']);
    expect(decode(frames.tailFrom(3)).messages).toEqual(['{"seq":5}']);
    expect(frames.countFrom(0)).toBe(3);
    expect(frames.countFrom(2)).toBe(2);
    expect(frames.countFrom(5)).toBe(0);
    expect(frames.tailFrom(5).length).toBe(0);
    expect(frames.payloadsFrom(1).map((b) => b.toString())).toEqual(['{"seq":3}', '{"seq":5}']);
  });
});
