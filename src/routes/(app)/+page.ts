import { redirect } from '@sveltejs/kit';
import { homeOf } from '$lib/session/access';
import type { PageLoad } from './$types';

/** `/` opens the first home the user's roles allow. */
export const load: PageLoad = async ({ parent }) => {
	const { user } = await parent();
	const home = homeOf(user.roles);
	if (home) redirect(307, home);
	return {};
};
