import { ApiError } from '$lib/api/client';
import { t } from '$lib/i18n/i18n.svelte';
import { fieldErrorText, refusalText, type FieldLabels } from '$lib/i18n/refusal-text';

/**
 * What a refused save says to the administrator, in the interface language: the server names the
 * field it refuses and why. `labels` are the form's words for its fields; a name and a code are
 * called so on every desk form.
 */
export function saveErrorText(error: unknown, labels: FieldLabels = {}): string {
	const named = { name: t('desk.name'), code: t('desk.code'), ...labels };
	if (
		error instanceof ApiError &&
		(error.status === 400 || (error.status === 409 && error.field !== 'version'))
	)
		return t('desk.invalid', { message: fieldErrorText(error, named) });
	return refusalText(error, named);
}
