import { describe, expect, it } from 'vitest';
import { internalExtension } from './internal-extension';

describe('internalExtension', () => {
	it('recognises a colleague’s extension, bare or in a SIP URI', () => {
		expect(internalExtension('1002')).toBe('1002');
		expect(internalExtension('sip:1002@pbx.test')).toBe('1002');
		expect(internalExtension(' 21 ')).toBe('21');
	});

	it('leaves outside numbers to the caller-ID lookup', () => {
		expect(internalExtension('0212345678')).toBeNull();
		expect(internalExtension('212345')).toBeNull();
		expect(internalExtension('+390212345678')).toBeNull();
		expect(internalExtension('sip:+390212345678@pbx.test')).toBeNull();
		expect(internalExtension('anonymous')).toBeNull();
		expect(internalExtension('1')).toBeNull();
	});
});
