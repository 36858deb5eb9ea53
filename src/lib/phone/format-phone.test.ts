import { describe, expect, it } from 'vitest';
import { formatPhone } from './format-phone';

describe('formatPhone', () => {
	it('shows an Italian number in one national format, however it was typed', () => {
		// The demo data's raw forms (db/seed/phones.ts) and the E.164 form of the same number.
		for (const typed of [
			'(051) 927.9954',
			'0519279954',
			'051 9279954',
			'051/9279954',
			'051-9279954',
			'051 927 9954',
			'+39 051 9279954',
			'0039 051 9279954',
			'+390519279954'
		])
			expect(formatPhone(typed), typed).toBe('051 927 9954');
	});

	it('shows mobiles and Milan and Rome numbers the same way', () => {
		for (const typed of [
			'347-5550001',
			'347.555.00.01',
			'+39 347 555 0001',
			'0039 347 5550001',
			'+393475550001'
		])
			expect(formatPhone(typed), typed).toBe('347 555 0001');
		expect(formatPhone('+39021234567')).toBe('02 123 4567');
		expect(formatPhone('02 12345678')).toBe('02 1234 5678');
		expect(formatPhone('06/98765432')).toBe('06 9876 5432');
	});

	it('shows a foreign number in international format', () => {
		expect(formatPhone('+49301234567')).toBe('+49 30 1234567');
		expect(formatPhone('0041 44 668 18 00')).toBe('+41 44 668 18 00');
		expect(formatPhone('+33 1 42 68 53 00')).toBe('+33 1 42 68 53 00');
	});

	it('formats for another home country when told', () => {
		expect(formatPhone('+49301234567', 'DE')).toBe('030 1234567');
		expect(formatPhone('+390519279954', 'DE')).toBe('+39 051 927 9954');
	});

	it('shows what is not a phone number as given', () => {
		for (const given of ['1001', 'anonymous', 'sip:agent1@pbx.example', '12', '+39 abc'])
			expect(formatPhone(given), given).toBe(given);
		expect(formatPhone(null)).toBe('');
		expect(formatPhone(undefined)).toBe('');
		expect(formatPhone('')).toBe('');
	});
});
