import type { SessionUser } from '$server/auth/auth.schemas';
import { api, call } from './client';

export type { SessionUser };
export type Role = SessionUser['roles'][number];
export type UserLocale = SessionUser['locale'];

export async function signIn(input: { username: string; password: string }): Promise<SessionUser> {
	const { user } = await call(() => api.auth.login.$post({ json: input }), { anonymous: true });
	return user;
}

export async function signOut(): Promise<void> {
	await call(() => api.auth.logout.$post(), { anonymous: true });
}

/** The signed-in user, or null when nobody is (a 200 either way: no failed request in the console). */
export async function fetchSessionUser(): Promise<SessionUser | null> {
	const { user } = await call(() => api.auth.session.$get(), { anonymous: true });
	return user;
}

export async function savePreferences(preferences: { locale: UserLocale }): Promise<void> {
	await call(() => api.me.preferences.$patch({ json: preferences }));
}
