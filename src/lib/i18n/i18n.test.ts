import { describe, expect, it as test } from 'vitest';
import { it } from './it';
import { en } from './en';

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
	test('English has the same keys as Italian', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(it).sort());
	});

	test('every English message has the same placeholders as its Italian source', () => {
		for (const key of Object.keys(it) as Array<keyof typeof it>) {
			expect({ key, placeholders: placeholders(en[key]) }).toEqual({
				key,
				placeholders: placeholders(it[key])
			});
		}
	});

	test('no message is left empty', () => {
		for (const [key, message] of [...Object.entries(it), ...Object.entries(en)]) {
			expect({ key, empty: message.trim() === '' }).toEqual({ key, empty: false });
		}
	});

	test('no message shows the version counter of a record: developer detail (issue 17)', () => {
		for (const [key, message] of [...Object.entries(it), ...Object.entries(en)]) {
			expect({ key, version: /\{version\}|versione? \{/i.test(message) }).toEqual({ key, version: false });
		}
	});
});
