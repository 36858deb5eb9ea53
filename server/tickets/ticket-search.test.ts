import { describe, expect, it } from 'vitest';
import { ticketNumberFilter, titleWords } from './ticket-search';

describe('ticketNumberFilter', () => {
	it('reads a whole number in any case, with or without its zeros', () => {
		expect(ticketNumberFilter('at-2026-000123')).toEqual({
			equals: ['AT-2026-000123'],
			prefix: 'AT-2026-000123',
			suffix: null
		});
		expect(ticketNumberFilter(' AT 2026 123 ')?.equals).toEqual(['AT-2026-000123']);
	});

	it("reads a number's start while it is typed", () => {
		expect(ticketNumberFilter('AT-20')).toEqual({ equals: [], prefix: 'AT-20', suffix: null });
		expect(ticketNumberFilter('T1A2B3-')).toEqual({ equals: [], prefix: 'T1A2B3-', suffix: null });
	});

	it("reads a number's end as said on the phone", () => {
		expect(ticketNumberFilter('123')).toEqual({ equals: [], prefix: null, suffix: '-000123' });
		expect(ticketNumberFilter('000123')?.suffix).toBe('-000123');
		expect(ticketNumberFilter('2026-123')?.suffix).toBe('-2026-000123');
	});

	it('does not take words, phone numbers or VAT numbers for ticket numbers', () => {
		for (const q of [
			'caldaia',
			'Rossi S.r.l.',
			'051 927 9954',
			'0514848463',
			'+39 347 555 0001',
			'01234567890'
		])
			expect(ticketNumberFilter(q), q).toBeNull();
	});
});

describe('titleWords', () => {
	it('splits on spaces and drops one-letter words unless nothing else is left', () => {
		expect(titleWords('  caldaia  in   blocco ')).toEqual(['caldaia', 'in', 'blocco']);
		expect(titleWords('a caldaia')).toEqual(['caldaia']);
		expect(titleWords('a b')).toEqual(['a', 'b']);
	});
});
