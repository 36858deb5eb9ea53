import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * How every phone number is shown, however it was typed or received: the home country's numbers
 * in national format ("051 927 9954", "347 555 0001"), foreign ones in international format
 * ("+49 30 1234567"), and what is not a plausible number (an extension, a SIP name) as given.
 * Pass the E.164 form where there is one: it is the number as understood, the raw one as typed.
 */
export function formatPhone(number: string | null | undefined, homeCountry: CountryCode = 'IT'): string {
	if (!number) return '';
	let digits = number.trim().replace(/[\s\-./()]/g, '');
	// The international prefix written 00 instead of +.
	if (/^00[1-9]/.test(digits)) digits = `+${digits.slice(2)}`;
	if (!/^\+?\d{4,17}$/.test(digits)) return number;
	const parsed = parsePhoneNumberFromString(digits, homeCountry);
	if (!parsed?.isPossible()) return number;
	// By calling code, not country: +39 also serves the Vatican, whose numbers read like Rome's.
	return parsed.countryCallingCode === getCountryCallingCode(homeCountry)
		? parsed.formatNational()
		: parsed.formatInternational();
}
