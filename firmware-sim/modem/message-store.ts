// One SMS storage (SIM "SM" or phone memory "ME"): numbered slots 1..capacity holding PDUs with their
// 27.005 status. Survives a modem reboot (it is on the SIM / in flash); only AT+CMGD empties it.

/** 27.005 <stat> in PDU mode: 0 received unread, 1 received read, 2 stored unsent, 3 stored sent. */
export type MessageStat = 0 | 1 | 2 | 3;

/** One stored message. */
export interface StoredMessage {
  readonly index: number;
  stat: MessageStat;
  /** Hex PDU with its SMSC field, as +CMGR / +CMGL print it. */
  readonly pdu: string;
  /** Octets after the SMSC field, the <length> of +CMGR / +CMGL. */
  readonly tpduLength: number;
}

/** A bounded storage; the lowest free index is used first, as SIMs do. */
export class MessageStore {
  private readonly slots: (StoredMessage | undefined)[];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 255) {
      throw new Error(`message store capacity must be 1..255, got ${capacity}`);
    }
    this.slots = new Array<StoredMessage | undefined>(capacity).fill(undefined);
  }

  get used(): number {
    return this.slots.filter((s) => s !== undefined).length;
  }

  /** Stores a message; returns its index, or undefined when the storage is full. */
  add(pdu: string, tpduLength: number, stat: MessageStat): number | undefined {
    const free = this.slots.indexOf(undefined);
    if (free < 0) return undefined;
    this.slots[free] = { index: free + 1, stat, pdu, tpduLength };
    return free + 1;
  }

  /** True when `index` is a slot of this storage (1..capacity), used or not. */
  valid(index: number): boolean {
    return Number.isInteger(index) && index >= 1 && index <= this.capacity;
  }

  get(index: number): StoredMessage | undefined {
    return this.valid(index) ? this.slots[index - 1] : undefined;
  }

  delete(index: number): void {
    if (this.valid(index)) this.slots[index - 1] = undefined;
  }

  /** Messages with one of the given stats, by index. */
  list(stats: readonly MessageStat[]): StoredMessage[] {
    return this.slots.filter((s): s is StoredMessage => s !== undefined && stats.includes(s.stat));
  }
}
