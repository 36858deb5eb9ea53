import { ApiError } from '$lib/api/client';
import { t } from '$lib/i18n/i18n.svelte';

/** What a refused save says to the administrator: the server names the field it refuses. */
export function saveErrorText(error: unknown): string {
	if (!(error instanceof ApiError)) return t('error.generic');
	if (error.status === 0) return t('error.network');
	if (error.status === 403) return t('error.forbidden');
	if (error.status === 409 && error.field === 'version') return t('error.conflict');
	if (error.status === 400 || error.status === 409) return t('desk.invalid', { message: error.message });
	return t('error.generic');
}
