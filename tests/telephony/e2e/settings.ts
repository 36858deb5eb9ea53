/** Shared between the console started for the telephony e2e and the tests. */
export const ctiToken = 'telephony-e2e-cti-token-0123456789';
export const wrapUpMaxSeconds = 30;
