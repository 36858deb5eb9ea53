import { redirect } from '@sveltejs/kit';
import { ApiError } from '$lib/api/client';
import { session } from '$lib/session/session.svelte';
import type { LayoutLoad } from './$types';

/** Every screen behind the shell needs a signed-in user: nobody (401) goes to the sign-in page. */
export const load: LayoutLoad = async ({ url }) => {
	try {
		return { user: session.user ?? (await session.load()) };
	} catch (error) {
		if (error instanceof ApiError && error.status === 401) {
			const next = url.pathname === '/' ? '' : `?next=${encodeURIComponent(url.pathname + url.search)}`;
			redirect(307, `/login${next}`);
		}
		throw error;
	}
};
