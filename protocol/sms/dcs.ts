// TP-Data-Coding-Scheme (3GPP TS 23.038 section 4), the coding groups that matter to a receiver:
//   00xx xxxx  general: bit 5 compressed, bit 4 "bits 1-0 are a class", bits 3-2 alphabet
//              (00 GSM 7-bit, 01 8-bit data, 10 UCS2, 11 reserved = GSM 7-bit)
//   01xx xxxx  the same, message marked for automatic deletion
//   1000-1011  reserved: GSM 7-bit (23.038: "assumed to be the GSM 7 bit default alphabet")
//   1100, 1101 message waiting indication, GSM 7-bit (discard / store); 1110 the same, UCS2
//   1111 xxxx  bit 2: 0 GSM 7-bit, 1 8-bit data; bits 1-0 class
// Examples: 00 = GSM 7-bit, 08 = UCS2, 04 = 8-bit, 10 = GSM 7-bit class 0 ("flash"), F6 = 8-bit class 2 (SIM).

import { SmsEncodeError, SmsEncodeReason } from './result.js';

/** The three alphabets of an SMS body. */
export type SmsEncoding = 'gsm7' | '8bit' | 'ucs2';

/** What a DCS octet says. */
export interface DataCoding {
  readonly encoding: SmsEncoding;
  /** Message class 0..3 (0 "flash", 1 ME, 2 SIM, 3 TE) when the DCS gives one. */
  readonly messageClass: 0 | 1 | 2 | 3 | undefined;
  /** TS 23.042 compression: this decoder does not decompress, such bodies are rejected. */
  readonly compressed: boolean;
  /** Coding group 01xx: delete after reading. */
  readonly autoDelete: boolean;
  /** Coding groups 1100-1110: a message waiting indication (voicemail etc.). */
  readonly messageWaiting: boolean;
}

const ALPHABET: readonly SmsEncoding[] = ['gsm7', '8bit', 'ucs2', 'gsm7'];

function cls(dcs: number): 0 | 1 | 2 | 3 {
  return (dcs & 3) as 0 | 1 | 2 | 3;
}

/** Decodes a DCS octet. */
export function decodeDcs(dcs: number): DataCoding {
  const group = dcs >> 4;
  if (group < 8) {
    return {
      encoding: ALPHABET[(dcs >> 2) & 3]!,
      messageClass: dcs & 0x10 ? cls(dcs) : undefined,
      compressed: (dcs & 0x20) !== 0,
      autoDelete: (dcs & 0x40) !== 0,
      messageWaiting: false,
    };
  }
  if (group === 0xf) {
    return { encoding: dcs & 4 ? '8bit' : 'gsm7', messageClass: cls(dcs), compressed: false, autoDelete: false, messageWaiting: false };
  }
  const waiting = group >= 0xc;
  return { encoding: group === 0xe ? 'ucs2' : 'gsm7', messageClass: undefined, compressed: false, autoDelete: false, messageWaiting: waiting };
}

/** The DCS octet for an alphabet and an optional message class (group 00xx). */
export function encodeDcs(encoding: SmsEncoding, messageClass?: number): number {
  let dcs = encoding === 'gsm7' ? 0 : encoding === '8bit' ? 4 : 8;
  if (messageClass !== undefined) {
    if (!Number.isInteger(messageClass) || messageClass < 0 || messageClass > 3) {
      throw new SmsEncodeError(SmsEncodeReason.BadOption, `message class ${messageClass} is not 0..3`);
    }
    dcs |= 0x10 | messageClass;
  }
  return dcs;
}
