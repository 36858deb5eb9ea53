import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';

describe('normalizePhone', () => {
	it.each([
		['02 1234567', '+39021234567'],
		['+39 347 123 4567', '+393471234567'],
		['0039 06 4567 8901', '+390645678901'],
		['347-1234567', '+393471234567'],
		['(02) 123.4567', '+39021234567'],
		['sip:+390212345678@pbx.example.com', '+390212345678'],
		['tel:+39-347-1234567', '+393471234567']
	])('normalises %s to %s', (input, e164) => {
		expect(normalizePhone(input)?.e164).toBe(e164);
	});

	it('tells mobile from landline for Italian numbers', () => {
		expect(normalizePhone('347 1234567')?.kind).toBe('mobile');
		expect(normalizePhone('02 1234567')?.kind).toBe('landline');
	});

	it('keeps a foreign number in its own country', () => {
		expect(normalizePhone('+49 30 1234567')?.e164).toBe('+49301234567');
	});

	it('rejects text that is not a number', () => {
		expect(normalizePhone('Rossi')).toBeNull();
		expect(normalizePhone('12')).toBeNull();
		expect(normalizePhone('')).toBeNull();
	});

	it('stores the national number reversed for suffix lookups', () => {
		expect(normalizePhone('02 1234567')?.nsnReversed).toBe('7654321' + '20');
	});
});
