// Public API of the NMEA 0183 decoder core and encoder (see docs/nmea.md).
export { NmeaDecoder, type NmeaStats } from './decoder.js';
export {
  NmeaSentence,
  copySentence,
  GSA_MAX_PRNS,
  GSV_MAX_SATS,
  type NmeaSentenceData,
  type NmeaType,
} from './sentence.js';
export { ABSENT_CHAR, UNKNOWN_TALKER } from './codes.js';
export { NmeaReject, MAX_LINE, statOf, type NmeaRejectReason, type NmeaStat } from './reject.js';
export { decodeSentence, type DecodeSentenceResult } from './decode-sentence.js';
export {
  encodeGga,
  encodeRmc,
  encodeGll,
  encodeVtg,
  encodeGsa,
  encodeZda,
  encodeGsv,
  nmeaChecksum,
  nmeaSentence,
  type NmeaFix,
  type NmeaSatellite,
} from './encoder.js';
