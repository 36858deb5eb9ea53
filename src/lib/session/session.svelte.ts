import {
	fetchSessionUser,
	savePreferences,
	signIn,
	signOut,
	type Role,
	type SessionUser
} from '$lib/api/auth';
import { ApiError } from '$lib/api/client';
import { i18n, type Locale } from '$lib/i18n/i18n.svelte';
import { realtime } from '$lib/realtime/socket.svelte';
import { homeOf } from './access';

/** The signed-in user, in one place: who they are, what they may open, their language. */
class Session {
	#user = $state<SessionUser | null>(null);

	get user(): SessionUser | null {
		return this.#user;
	}

	get roles(): Role[] {
		return this.#user?.roles ?? [];
	}

	/** Where `/` sends this user, or null when none of their roles has a screen. */
	get home(): string | null {
		return homeOf(this.roles);
	}

	/** Asks the server who is signed in: the user, or null when nobody is. */
	async load(): Promise<SessionUser | null> {
		const user = await fetchSessionUser();
		if (user) this.#adopt(user);
		else this.#user = null;
		return user;
	}

	/**
	 * Signs in. `keepLocale`: the user picked a language on the sign-in page, so it wins over the
	 * saved one and is saved for next time.
	 */
	async signIn(input: { username: string; password: string }, options: { keepLocale?: boolean } = {}) {
		const chosen = i18n.locale;
		const user = await signIn(input);
		this.#adopt(user);
		if (options.keepLocale && chosen !== user.locale) await this.changeLocale(chosen).catch(() => undefined);
		return user;
	}

	async signOut() {
		try {
			await signOut();
		} catch (error) {
			// Already signed out elsewhere: the goal is reached.
			if (!(error instanceof ApiError && error.status === 401)) throw error;
		} finally {
			this.end();
		}
	}

	/** Forgets the user locally (after sign-out, a revoked session or an expired one). */
	end() {
		this.#user = null;
		realtime.disconnect();
	}

	/** Switches the language now and remembers it for this user. */
	async changeLocale(locale: Locale) {
		i18n.use(locale);
		if (!this.#user || this.#user.locale === locale) return;
		await savePreferences({ locale });
		this.#user = { ...this.#user, locale };
	}

	#adopt(user: SessionUser) {
		this.#user = user;
		i18n.use(user.locale);
	}
}

export const session = new Session();
