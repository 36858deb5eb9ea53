import { describe, expect, it } from 'vitest';
import { findPayloadProblem, isUnsafeText } from './unsafe-text';

describe('unsafe text', () => {
	it('refuses NUL and unpaired surrogates, accepts paired ones and ordinary text', () => {
		expect(isUnsafeText('Caff\u00e8 \u{1F600}')).toBe(false);
		expect(isUnsafeText('a\u0000b')).toBe(true);
		expect(isUnsafeText('\ud800')).toBe(true);
		expect(isUnsafeText('x\udc00')).toBe(true);
		expect(isUnsafeText('\ud83d\ude00')).toBe(false);
	});

	it('names the field where it was found, keys included', () => {
		expect(findPayloadProblem({ a: [{ b: 'ok' }, { c: 'no\u0000' }] })).toEqual({
			kind: 'unsafe_text',
			field: 'a.1.c'
		});
		expect(findPayloadProblem({ ['k\ud800']: 1 })).toEqual({ kind: 'unsafe_text', field: 'k\uFFFD' });
		expect(findPayloadProblem({ title: 'Macchina ferma', n: 3, tags: ['x'] })).toBeNull();
	});

	it('stops at a nesting deeper than any payload of ours without recursing', () => {
		let deep: unknown = 'x';
		for (let i = 0; i < 100_000; i++) deep = [deep];
		expect(findPayloadProblem(deep)).toMatchObject({ kind: 'too_deep' });
	});
});
