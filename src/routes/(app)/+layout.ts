import { redirect } from '@sveltejs/kit';
import { session } from '$lib/session/session.svelte';
import type { LayoutLoad } from './$types';

/** Every screen behind the shell needs a signed-in user: nobody goes to the sign-in page. */
export const load: LayoutLoad = async ({ url }) => {
	const user = session.user ?? (await session.load());
	if (!user) {
		const next = url.pathname === '/' ? '' : `?next=${encodeURIComponent(url.pathname + url.search)}`;
		redirect(307, `/login${next}`);
	}
	return { user };
};
