// Message service errors reported as `+CMS ERROR: <err>` (3GPP TS 27.005 clause 3.2.5).
//
//   +CMS ERROR: 330
//
// 0..127 are RP causes (3GPP TS 24.011 annex E-2) and 128..255 TP-FCS values (3GPP TS 23.040 9.2.3.22), passed
// through from the network; 300..340 and 500 are the terminal's own; 512 and up are manufacturer specific.
// Only the commonly seen network causes are named; the others decode by range (see `describeCmsCode`).

import type { ErrorEntry } from './cme-errors.js';

/** 3GPP TS 27.005 clause 3.2.5 codes, plus the network causes modems pass through most often. */
export const CMS_ERROR_TABLE: readonly ErrorEntry[] = [
  { code: 1, name: 'UNASSIGNED_NUMBER', text: 'unassigned (unallocated) number' },
  { code: 8, name: 'OPERATOR_DETERMINED_BARRING', text: 'operator determined barring' },
  { code: 10, name: 'CALL_BARRED', text: 'call barred' },
  { code: 21, name: 'SHORT_MESSAGE_TRANSFER_REJECTED', text: 'short message transfer rejected' },
  { code: 27, name: 'DESTINATION_OUT_OF_SERVICE', text: 'destination out of service' },
  { code: 28, name: 'UNIDENTIFIED_SUBSCRIBER', text: 'unidentified subscriber' },
  { code: 29, name: 'FACILITY_REJECTED', text: 'facility rejected' },
  { code: 30, name: 'UNKNOWN_SUBSCRIBER', text: 'unknown subscriber' },
  { code: 38, name: 'NETWORK_OUT_OF_ORDER', text: 'network out of order' },
  { code: 41, name: 'TEMPORARY_FAILURE', text: 'temporary failure' },
  { code: 42, name: 'CONGESTION', text: 'congestion' },
  { code: 47, name: 'RESOURCES_UNAVAILABLE', text: 'resources unavailable, unspecified' },
  { code: 50, name: 'REQUESTED_FACILITY_NOT_SUBSCRIBED', text: 'requested facility not subscribed' },
  { code: 69, name: 'REQUESTED_FACILITY_NOT_IMPLEMENTED', text: 'requested facility not implemented' },
  { code: 81, name: 'INVALID_SHORT_MESSAGE_REFERENCE', text: 'invalid short message transfer reference value' },
  { code: 95, name: 'INVALID_MESSAGE', text: 'invalid message, unspecified' },
  { code: 96, name: 'INVALID_MANDATORY_INFORMATION', text: 'invalid mandatory information' },
  { code: 97, name: 'MESSAGE_TYPE_NON_EXISTENT', text: 'message type non-existent or not implemented' },
  { code: 98, name: 'MESSAGE_NOT_COMPATIBLE', text: 'message not compatible with short message protocol state' },
  { code: 99, name: 'INFORMATION_ELEMENT_NON_EXISTENT', text: 'information element non-existent or not implemented' },
  { code: 111, name: 'PROTOCOL_ERROR', text: 'protocol error, unspecified' },
  { code: 127, name: 'INTERWORKING_UNSPECIFIED', text: 'interworking, unspecified' },
  { code: 300, name: 'ME_FAILURE', text: 'ME failure' },
  { code: 301, name: 'SMS_SERVICE_RESERVED', text: 'SMS service of ME reserved' },
  { code: 302, name: 'OPERATION_NOT_ALLOWED', text: 'operation not allowed' },
  { code: 303, name: 'OPERATION_NOT_SUPPORTED', text: 'operation not supported' },
  { code: 304, name: 'INVALID_PDU_MODE_PARAMETER', text: 'invalid PDU mode parameter' },
  { code: 305, name: 'INVALID_TEXT_MODE_PARAMETER', text: 'invalid text mode parameter' },
  { code: 310, name: 'SIM_NOT_INSERTED', text: '(U)SIM not inserted' },
  { code: 311, name: 'SIM_PIN_REQUIRED', text: '(U)SIM PIN required' },
  { code: 312, name: 'PH_SIM_PIN_REQUIRED', text: 'PH-(U)SIM PIN required' },
  { code: 313, name: 'SIM_FAILURE', text: '(U)SIM failure' },
  { code: 314, name: 'SIM_BUSY', text: '(U)SIM busy' },
  { code: 315, name: 'SIM_WRONG', text: '(U)SIM wrong' },
  { code: 316, name: 'SIM_PUK_REQUIRED', text: '(U)SIM PUK required' },
  { code: 317, name: 'SIM_PIN2_REQUIRED', text: '(U)SIM PIN2 required' },
  { code: 318, name: 'SIM_PUK2_REQUIRED', text: '(U)SIM PUK2 required' },
  { code: 320, name: 'MEMORY_FAILURE', text: 'memory failure' },
  { code: 321, name: 'INVALID_MEMORY_INDEX', text: 'invalid memory index' },
  { code: 322, name: 'MEMORY_FULL', text: 'memory full' },
  { code: 330, name: 'SMSC_ADDRESS_UNKNOWN', text: 'SMSC address unknown' },
  { code: 331, name: 'NO_NETWORK_SERVICE', text: 'no network service' },
  { code: 332, name: 'NETWORK_TIMEOUT', text: 'network timeout' },
  { code: 340, name: 'NO_CNMA_ACK_EXPECTED', text: 'no +CNMA acknowledgement expected' },
  { code: 500, name: 'UNKNOWN_ERROR', text: 'unknown error' },
];

/** Named `+CMS ERROR` codes, e.g. `CmsError.SMSC_ADDRESS_UNKNOWN === 330`. */
export const CmsError = {
  ME_FAILURE: 300,
  OPERATION_NOT_ALLOWED: 302,
  OPERATION_NOT_SUPPORTED: 303,
  INVALID_PDU_MODE_PARAMETER: 304,
  SIM_NOT_INSERTED: 310,
  SIM_PIN_REQUIRED: 311,
  SIM_FAILURE: 313,
  SIM_BUSY: 314,
  MEMORY_FAILURE: 320,
  INVALID_MEMORY_INDEX: 321,
  MEMORY_FULL: 322,
  SMSC_ADDRESS_UNKNOWN: 330,
  NO_NETWORK_SERVICE: 331,
  NETWORK_TIMEOUT: 332,
  UNKNOWN_ERROR: 500,
} as const;

/** Name for a CMS code that is not in the table, by the range the specification assigns it to. */
export function cmsRangeName(code: number): string {
  if (code >= 0 && code <= 127) return 'NETWORK_RP_CAUSE';
  if (code >= 128 && code <= 255) return 'NETWORK_TP_FAILURE_CAUSE';
  if (code >= 512) return 'MANUFACTURER_SPECIFIC';
  return 'RESERVED';
}
