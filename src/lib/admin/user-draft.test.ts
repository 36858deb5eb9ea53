import { describe, expect, it } from 'vitest';
import type { UserView } from '$lib/api/users';
import { createBody, draftOf, generatePassword, patchBody } from './user-draft';

const agent: UserView = {
	id: '7d1c8d0e-3c39-4d3f-9d8e-1c2b3a4d5e6f',
	username: 'agent1',
	displayName: 'Giulia Neri',
	email: null,
	roles: ['agent'],
	teamId: null,
	locale: 'it',
	disabled: false,
	sipExtension: '1001',
	sipAuthUser: '1001',
	sipPasswordSet: true,
	groupIds: [],
	version: 3
};

describe('the user form as a request', () => {
	it('an auth user equal to the extension shows empty, and goes back as null (it follows the extension)', () => {
		const draft = draftOf(agent);
		expect(draft.sipAuthUser).toBe('');
		expect(patchBody({ ...draft, sipExtension: '1002' })).toMatchObject({
			sipExtension: '1002',
			sipAuthUser: null
		});
	});

	it('sends the SIP password only when typed, null to remove it, never otherwise', () => {
		const draft = draftOf(agent);
		expect(patchBody(draft)).not.toHaveProperty('sipPassword');
		expect(patchBody({ ...draft, sipPassword: 'nuova-123' }).sipPassword).toBe('nuova-123');
		expect(patchBody({ ...draft, sipPassword: 'nuova-123', removeSipPassword: true }).sipPassword).toBeNull();
	});

	it('empty inputs are nulls; a new user without extension sends no SIP credentials', () => {
		const body = createBody({
			...draftOf(null),
			username: ' mrossi ',
			displayName: 'Mario',
			password: 'x'.repeat(8)
		});
		expect(body).toEqual({
			username: 'mrossi',
			displayName: 'Mario',
			email: null,
			password: 'xxxxxxxx',
			roles: ['agent'],
			teamId: null,
			groupIds: [],
			sipExtension: null
		});
	});

	it('generates 14 characters without look-alikes', () => {
		const password = generatePassword();
		expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{14}$/);
		// Bytes past the alphabet's last whole multiple (224 for 56 characters) are skipped.
		const bytes = [255, 224, ...Array.from({ length: 30 }, (_, i) => i)];
		expect(generatePassword(() => Uint8Array.from(bytes))).toBe('abcdefghijkmnp');
	});
});
