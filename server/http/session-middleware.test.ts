import { describe, expect, it } from 'vitest';
import { forwardedClientAddress } from './session-middleware';

describe('forwardedClientAddress', () => {
	it('takes the entry as many hops from the right as there are trusted proxies', () => {
		const header = '198.51.100.7, 203.0.113.5, 10.0.0.2';
		expect(forwardedClientAddress(header, 1)).toBe('10.0.0.2');
		expect(forwardedClientAddress(header, 2)).toBe('203.0.113.5');
	});

	it('ignores what the client wrote to the left of the trusted entries', () => {
		expect(forwardedClientAddress('1.1.1.1, 2.2.2.2, 203.0.113.5', 1)).toBe('203.0.113.5');
		expect(forwardedClientAddress('9.9.9.9, 203.0.113.5', 1)).toBe('203.0.113.5');
	});

	it('takes the left-most entry when there are fewer entries than proxies', () => {
		expect(forwardedClientAddress('203.0.113.5', 3)).toBe('203.0.113.5');
	});

	it('believes nothing without trusted proxies, or without a usable header', () => {
		expect(forwardedClientAddress('203.0.113.5', 0)).toBeUndefined();
		expect(forwardedClientAddress(undefined, 1)).toBeUndefined();
		expect(forwardedClientAddress(' , ', 1)).toBeUndefined();
	});
});
