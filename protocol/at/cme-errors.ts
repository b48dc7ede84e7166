// Mobile termination errors reported as `+CME ERROR: <err>` (3GPP TS 27.007 clause 9.2).
//
//   +CME ERROR: 10                  (AT+CMEE=1, numeric)
//   +CME ERROR: SIM not inserted    (AT+CMEE=2, verbose)
//
// One table, code -> (constant name, the spec's text). The verbose form is mapped back to the code by the text,
// case-insensitively, so both forms decode to the same named code. Codes 9.2.1 (general) and 9.2.2 (GPRS).

/** One row of a modem error table. */
export interface ErrorEntry {
  readonly code: number;
  /** Stable constant name, e.g. `SIM_NOT_INSERTED`. */
  readonly name: string;
  /** The text the specification gives (what a modem in verbose mode prints). */
  readonly text: string;
}

/** 3GPP TS 27.007 clause 9.2.1 and 9.2.2 `+CME ERROR` codes. */
export const CME_ERROR_TABLE: readonly ErrorEntry[] = [
  { code: 0, name: 'PHONE_FAILURE', text: 'phone failure' },
  { code: 1, name: 'NO_CONNECTION_TO_PHONE', text: 'no connection to phone' },
  { code: 2, name: 'PHONE_ADAPTOR_LINK_RESERVED', text: 'phone-adaptor link reserved' },
  { code: 3, name: 'OPERATION_NOT_ALLOWED', text: 'operation not allowed' },
  { code: 4, name: 'OPERATION_NOT_SUPPORTED', text: 'operation not supported' },
  { code: 5, name: 'PH_SIM_PIN_REQUIRED', text: 'PH-SIM PIN required' },
  { code: 6, name: 'PH_FSIM_PIN_REQUIRED', text: 'PH-FSIM PIN required' },
  { code: 7, name: 'PH_FSIM_PUK_REQUIRED', text: 'PH-FSIM PUK required' },
  { code: 10, name: 'SIM_NOT_INSERTED', text: 'SIM not inserted' },
  { code: 11, name: 'SIM_PIN_REQUIRED', text: 'SIM PIN required' },
  { code: 12, name: 'SIM_PUK_REQUIRED', text: 'SIM PUK required' },
  { code: 13, name: 'SIM_FAILURE', text: 'SIM failure' },
  { code: 14, name: 'SIM_BUSY', text: 'SIM busy' },
  { code: 15, name: 'SIM_WRONG', text: 'SIM wrong' },
  { code: 16, name: 'INCORRECT_PASSWORD', text: 'incorrect password' },
  { code: 17, name: 'SIM_PIN2_REQUIRED', text: 'SIM PIN2 required' },
  { code: 18, name: 'SIM_PUK2_REQUIRED', text: 'SIM PUK2 required' },
  { code: 20, name: 'MEMORY_FULL', text: 'memory full' },
  { code: 21, name: 'INVALID_INDEX', text: 'invalid index' },
  { code: 22, name: 'NOT_FOUND', text: 'not found' },
  { code: 23, name: 'MEMORY_FAILURE', text: 'memory failure' },
  { code: 24, name: 'TEXT_STRING_TOO_LONG', text: 'text string too long' },
  { code: 25, name: 'INVALID_CHARACTERS_IN_TEXT_STRING', text: 'invalid characters in text string' },
  { code: 26, name: 'DIAL_STRING_TOO_LONG', text: 'dial string too long' },
  { code: 27, name: 'INVALID_CHARACTERS_IN_DIAL_STRING', text: 'invalid characters in dial string' },
  { code: 30, name: 'NO_NETWORK_SERVICE', text: 'no network service' },
  { code: 31, name: 'NETWORK_TIMEOUT', text: 'network timeout' },
  { code: 32, name: 'NETWORK_NOT_ALLOWED_EMERGENCY_CALLS_ONLY', text: 'network not allowed - emergency calls only' },
  { code: 40, name: 'NETWORK_PERSONALIZATION_PIN_REQUIRED', text: 'network personalization PIN required' },
  { code: 41, name: 'NETWORK_PERSONALIZATION_PUK_REQUIRED', text: 'network personalization PUK required' },
  { code: 42, name: 'NETWORK_SUBSET_PERSONALIZATION_PIN_REQUIRED', text: 'network subset personalization PIN required' },
  { code: 43, name: 'NETWORK_SUBSET_PERSONALIZATION_PUK_REQUIRED', text: 'network subset personalization PUK required' },
  { code: 44, name: 'SERVICE_PROVIDER_PERSONALIZATION_PIN_REQUIRED', text: 'service provider personalization PIN required' },
  { code: 45, name: 'SERVICE_PROVIDER_PERSONALIZATION_PUK_REQUIRED', text: 'service provider personalization PUK required' },
  { code: 46, name: 'CORPORATE_PERSONALIZATION_PIN_REQUIRED', text: 'corporate personalization PIN required' },
  { code: 47, name: 'CORPORATE_PERSONALIZATION_PUK_REQUIRED', text: 'corporate personalization PUK required' },
  { code: 48, name: 'HIDDEN_KEY_REQUIRED', text: 'hidden key required' },
  { code: 49, name: 'EAP_METHOD_NOT_SUPPORTED', text: 'EAP method not supported' },
  { code: 50, name: 'INCORRECT_PARAMETERS', text: 'incorrect parameters' },
  { code: 51, name: 'COMMAND_DISABLED', text: 'command implemented but currently disabled' },
  { code: 52, name: 'COMMAND_ABORTED_BY_USER', text: 'command aborted by user' },
  { code: 53, name: 'NOT_ATTACHED_DUE_TO_MT_RESTRICTIONS', text: 'not attached to network due to MT functionality restrictions' },
  { code: 54, name: 'MODEM_NOT_ALLOWED_EMERGENCY_CALLS_ONLY', text: 'modem not allowed - MT restricted to emergency calls only' },
  { code: 55, name: 'OPERATION_NOT_ALLOWED_DUE_TO_MT_RESTRICTIONS', text: 'operation not allowed because of MT functionality restrictions' },
  { code: 56, name: 'FIXED_DIAL_NUMBER_ONLY', text: 'fixed dial number only allowed - called number is not a fixed dial number' },
  { code: 57, name: 'TEMPORARILY_OUT_OF_SERVICE', text: 'temporarily out of service due to other MT usage' },
  { code: 58, name: 'LANGUAGE_NOT_SUPPORTED', text: 'language/alphabet not supported' },
  { code: 59, name: 'UNEXPECTED_DATA_VALUE', text: 'unexpected data value' },
  { code: 60, name: 'SYSTEM_FAILURE', text: 'system failure' },
  { code: 61, name: 'DATA_MISSING', text: 'data missing' },
  { code: 62, name: 'CALL_BARRED', text: 'call barred' },
  { code: 63, name: 'MESSAGE_WAITING_INDICATION_SUBSCRIPTION_FAILURE', text: 'message waiting indication subscription failure' },
  { code: 100, name: 'UNKNOWN', text: 'unknown' },
  { code: 103, name: 'ILLEGAL_MS', text: 'Illegal MS' },
  { code: 106, name: 'ILLEGAL_ME', text: 'Illegal ME' },
  { code: 107, name: 'GPRS_SERVICES_NOT_ALLOWED', text: 'GPRS services not allowed' },
  { code: 111, name: 'PLMN_NOT_ALLOWED', text: 'PLMN not allowed' },
  { code: 112, name: 'LOCATION_AREA_NOT_ALLOWED', text: 'Location area not allowed' },
  { code: 113, name: 'ROAMING_NOT_ALLOWED_IN_LOCATION_AREA', text: 'Roaming not allowed in this location area' },
  { code: 132, name: 'SERVICE_OPTION_NOT_SUPPORTED', text: 'service option not supported' },
  { code: 133, name: 'SERVICE_OPTION_NOT_SUBSCRIBED', text: 'requested service option not subscribed' },
  { code: 134, name: 'SERVICE_OPTION_TEMPORARILY_OUT_OF_ORDER', text: 'service option temporarily out of order' },
  { code: 148, name: 'UNSPECIFIED_GPRS_ERROR', text: 'unspecified GPRS error' },
  { code: 149, name: 'PDP_AUTHENTICATION_FAILURE', text: 'PDP authentication failure' },
  { code: 150, name: 'INVALID_MOBILE_CLASS', text: 'invalid mobile class' },
];

/** Named `+CME ERROR` codes, e.g. `CmeError.SIM_NOT_INSERTED === 10`. */
export const CmeError = {
  PHONE_FAILURE: 0,
  NO_CONNECTION_TO_PHONE: 1,
  OPERATION_NOT_ALLOWED: 3,
  OPERATION_NOT_SUPPORTED: 4,
  SIM_NOT_INSERTED: 10,
  SIM_PIN_REQUIRED: 11,
  SIM_PUK_REQUIRED: 12,
  SIM_FAILURE: 13,
  SIM_BUSY: 14,
  SIM_WRONG: 15,
  INCORRECT_PASSWORD: 16,
  MEMORY_FULL: 20,
  INVALID_INDEX: 21,
  NOT_FOUND: 22,
  MEMORY_FAILURE: 23,
  INVALID_CHARACTERS_IN_DIAL_STRING: 27,
  NO_NETWORK_SERVICE: 30,
  NETWORK_TIMEOUT: 31,
  NETWORK_NOT_ALLOWED_EMERGENCY_CALLS_ONLY: 32,
  INCORRECT_PARAMETERS: 50,
  UNKNOWN: 100,
} as const;
