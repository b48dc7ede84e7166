// A run of consecutive events as WebSocket text frames, built once per role and written to each client of
// that role with one socket write (RFC 6455 section 5.2), instead of one ws.send, one cork/uncork and one
// writev syscall per message per client (that was 60% of the gateway's CPU at 10 consoles).
//
// Every message is still its own complete, unfragmented, unmasked text frame (server frames are never
// masked; the gateway's WebSocketServer negotiates no permessage-deflate, so RSV1 is always 0):
//
//   byte 0: 0x81                         FIN=1, RSV1-3=0, opcode 1 (text)
//   byte 1: length 0..125               | 126 then 2 bytes BE length | 127 then 8 bytes BE length; MASK bit 0
//   then the UTF-8 JSON of one event
//
//   {"v":1,"seq":42,...}  (21 bytes)  ->  81 15 7b 22 76 22 3a 31 ...
//
// A client that is ahead of part of the run (it read those seqs in its backlog) is written the tail that
// starts at its first unseen event: `startOf(i)` is the byte offset of the first frame of event i or later.

import type { WebSocket } from 'ws';

/** The frames of events [0, n) of one run for one role; `null` texts (not for this role) have no frame. */
export class TextFrames {
  /** Every frame, back to back. */
  readonly bytes: Buffer;
  /** Frames before event i (i = 0..n). */
  private readonly framesBefore: Int32Array;
  /** Byte offset of frame k in `bytes` (k = 0..frames); the last entry is bytes.length. */
  private readonly frameStart: Int32Array;
  /** Byte offset of frame k's payload (its header is frameStart[k]..payloadStart[k]). */
  private readonly payloadStart: Int32Array;
  private payloads: Buffer[] | undefined;

  /** Frames `texts` (one per event of the run; null = no frame). */
  constructor(texts: readonly (string | null)[]) {
    const n = texts.length;
    this.framesBefore = new Int32Array(n + 1);
    const lengths: number[] = [];
    let total = 0;
    for (let i = 0; i < n; i++) {
      this.framesBefore[i] = lengths.length;
      const t = texts[i];
      if (t === null || t === undefined) continue;
      const len = Buffer.byteLength(t, 'utf8');
      lengths.push(len);
      total += headerLength(len) + len;
    }
    this.framesBefore[n] = lengths.length;
    this.frameStart = new Int32Array(lengths.length + 1);
    this.payloadStart = new Int32Array(lengths.length);
    const bytes = Buffer.allocUnsafe(total);
    let off = 0;
    let k = 0;
    for (const t of texts) {
      if (t === null || t === undefined) continue;
      const len = lengths[k] as number;
      this.frameStart[k] = off;
      off = writeHeader(bytes, off, len);
      this.payloadStart[k] = off;
      off += bytes.write(t, off, len, 'utf8');
      k++;
    }
    this.frameStart[k] = off;
    this.bytes = bytes;
  }

  /** Number of frames for events i and later. */
  countFrom(i: number): number {
    return (this.framesBefore[this.framesBefore.length - 1] as number) - (this.framesBefore[i] as number);
  }

  /** The bytes of every frame for events i and later (a view, no copy). */
  tailFrom(i: number): Buffer {
    return this.bytes.subarray(this.frameStart[this.framesBefore[i] as number] as number);
  }

  /** The payload (JSON text, as UTF-8) of each frame for events i and later; the same Buffers on every call. */
  payloadsFrom(i: number): Buffer[] {
    if (this.payloads === undefined) {
      this.payloads = [];
      for (let k = 0; k < this.payloadStart.length; k++) {
        this.payloads.push(this.bytes.subarray(this.payloadStart[k] as number, this.frameStart[k + 1] as number));
      }
    }
    return this.payloads.slice(this.framesBefore[i] as number);
  }
}

function headerLength(len: number): number {
  return len < 126 ? 2 : len < 65536 ? 4 : 10;
}

function writeHeader(b: Buffer, off: number, len: number): number {
  b[off] = 0x81;
  if (len < 126) {
    b[off + 1] = len;
    return off + 2;
  }
  if (len < 65536) {
    b[off + 1] = 126;
    b.writeUInt16BE(len, off + 2);
    return off + 4;
  }
  b[off + 1] = 127;
  b.writeUInt16BE(0, off + 2);
  b.writeUIntBE(len, off + 4, 6);
  return off + 10;
}

/** The parts of a `ws` WebSocket this writer relies on beyond its public API (ws 8.23, pinned). */
type WsInternals = {
  _socket?: { write(data: Buffer, cb?: (err?: Error | null) => void): boolean; cork?: () => void; uncork?: () => void } | null;
};

/** ws's socket, when frames may be written to it directly (an open `ws` server socket without extensions). */
function rawSocket(ws: WebSocket): NonNullable<WsInternals['_socket']> | undefined {
  const socket = (ws as unknown as WsInternals)._socket;
  if (ws.readyState === OPEN && ws.extensions === '' && socket !== undefined && socket !== null && typeof socket.write === 'function') return socket;
  return undefined;
}

const OPEN = 1;

/**
 * Writes the frames of events i and later to `ws`: one socket write when `ws` is an open `ws` server socket
 * without extensions, else (a closing socket, a test double) one `ws.send` per frame. Returns the number of
 * frames. `done` is called once they have been handed to the kernel (or the socket failed).
 *
 * Why writing to ws's socket is safe: `ws` writes every frame to that same socket synchronously in the order
 * of the calls (its Sender only queues while compressing or reading a Blob, and the gateway does neither:
 * no permessage-deflate, control messages are strings), so these bytes and ws's own frames (hello, pong,
 * error, close, ping) cannot interleave within a frame or reorder. `ws.bufferedAmount` counts the socket's
 * queue, so the slow-consumer check sees these writes.
 */
export function writeFrames(ws: WebSocket, frames: TextFrames, i: number, done?: () => void): number {
  const count = frames.countFrom(i);
  if (count === 0) {
    done?.();
    return 0;
  }
  const socket = rawSocket(ws);
  if (socket !== undefined) {
    socket.write(frames.tailFrom(i), done && (() => done()));
    return count;
  }
  const payloads = frames.payloadsFrom(i);
  payloads.forEach((p, k) => ws.send(p, { binary: false }, k === payloads.length - 1 && done ? () => done() : undefined));
  return count;
}

/**
 * Writes one text message whose UTF-8 payload is `chunks` back to back, without joining them: the frame's header
 * and the chunks in one corked socket write (as ws's own Sender writes a header and its data), so that a large
 * chunk shared by many clients (a picture's part, picture-shares.ts) is written to each of them as it is. Else
 * (a closing socket, a test double) one `ws.send` of the joined chunks. The same bytes on the wire as
 * `ws.send(chunks joined)`. `done` as for writeFrames.
 */
export function writeMessage(ws: WebSocket, chunks: readonly Buffer[], done?: () => void): void {
  const socket = rawSocket(ws);
  if (socket === undefined) {
    ws.send(Buffer.concat(chunks), { binary: false }, done && (() => done()));
    return;
  }
  let len = 0;
  for (const c of chunks) len += c.length;
  const header = Buffer.allocUnsafe(headerLength(len));
  writeHeader(header, 0, len);
  socket.cork?.();
  socket.write(header, chunks.length === 0 && done ? () => done() : undefined);
  chunks.forEach((c, k) => socket.write(c, k === chunks.length - 1 && done ? () => done() : undefined));
  socket.uncork?.();
}
