import { ApiError } from '$lib/api/client';
import type { ErrorDetail } from '$server/core/errors';
import { i18n, t } from './i18n.svelte';

/** A form's own words for its fields, by the name the API gives them: `{ title: t('tickets.form.subject') }`. */
export type FieldLabels = Partial<Record<string, string>>;

/** The refused field as the form calls it; a field the form did not name keeps the API's name. */
function labelOf(field: string, labels: FieldLabels): string {
	return labels[field] ?? labels[field.split('.').at(-1) ?? field] ?? field;
}

/**
 * Why the server refused a field (`{field, issue, limit, unit}` in its error), as one sentence in
 * the interface language that names the field by the form's own label. The server's English
 * message is never shown: "name: name must have at most 120 characters" becomes
 * «Nome» può avere al massimo 120 caratteri.
 */
export function fieldErrorText(
	error: { field?: string; detail: ErrorDetail },
	labels: FieldLabels = {}
): string {
	const { field } = error;
	const { issue, limit, unit } = error.detail;
	if (!field) return t('field.issue.request');
	const label = labelOf(field, labels);
	const bounded = limit !== undefined ? { label, limit: i18n.number(limit) } : null;
	switch (issue) {
		case 'required':
			return t('field.issue.required', { label });
		case 'too_big':
			if (!bounded) return t('field.issue.tooBig', { label });
			return unit === 'characters'
				? t('field.issue.tooLongMax', bounded)
				: unit === 'items'
					? t('field.issue.tooManyMax', bounded)
					: t('field.issue.tooBigMax', bounded);
		case 'too_small':
			if (!bounded) return t('field.issue.tooSmall', { label });
			// "At least one item" is a required choice.
			if (unit === 'items' && limit === 1) return t('field.issue.required', { label });
			return unit === 'characters'
				? t('field.issue.tooShortMin', bounded)
				: unit === 'items'
					? t('field.issue.tooFewMin', bounded)
					: t('field.issue.tooSmallMin', bounded);
		case 'invalid_format':
			return t('field.issue.invalidFormat', { label });
		case 'invalid_value':
			return t('field.issue.invalidValue', { label });
		case 'taken':
			return t('field.issue.taken', { label });
		case 'missing_reference':
			return t('field.issue.missingReference', { label });
		case 'in_use':
			return t('field.issue.inUse', { label });
		default:
			return t('field.issue.invalid', { label });
	}
}

/**
 * Any failed request in the user's words: the network, a role that may not, a record changed
 * meanwhile, or the field the server refused (see `fieldErrorText`).
 */
export function refusalText(error: unknown, labels: FieldLabels = {}): string {
	if (!(error instanceof ApiError)) return t('error.generic');
	if (error.status === 0) return t('error.network');
	if (error.status === 403) return t('error.forbidden');
	if (error.status === 409 && error.field === 'version') return t('error.conflict');
	if (error.status === 400 || (error.status === 409 && error.field)) return fieldErrorText(error, labels);
	return t('error.generic');
}
