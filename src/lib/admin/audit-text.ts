import type { AuditEntry } from '$lib/api/users';
import { t, type PlainKey } from '$lib/i18n/i18n.svelte';

/*
 * An audit entry in the administrator's words: the field's label and its values before and after
 * (references by their recorded name, roles and access translated, secrets only as changed).
 */

const fieldLabel: Record<string, PlainKey> = {
	username: 'admin.audit.field.username',
	displayName: 'admin.audit.field.displayName',
	email: 'admin.audit.field.email',
	roles: 'admin.audit.field.roles',
	team: 'admin.audit.field.team',
	groups: 'admin.audit.field.groups',
	disabled: 'admin.audit.field.disabled',
	sipExtension: 'admin.audit.field.sipExtension',
	sipAuthUser: 'admin.audit.field.sipAuthUser',
	sipPassword: 'admin.audit.field.sipPassword',
	password: 'admin.audit.field.password',
	code: 'admin.audit.field.code',
	name: 'admin.audit.field.name',
	access: 'admin.audit.field.access',
	active: 'admin.audit.field.active',
	head: 'admin.audit.field.head',
	calendar: 'admin.audit.field.calendar'
};

const actionLabel: Record<string, PlainKey> = {
	created: 'admin.audit.action.created',
	updated: 'admin.audit.action.updated',
	password_reset: 'admin.audit.action.password_reset',
	deactivated: 'admin.audit.action.deactivated',
	reactivated: 'admin.audit.action.reactivated'
};

const secrets = new Set(['password', 'sipPassword']);
const roleNames = new Set(['agent', 'dispatcher', 'supervisor', 'admin', 'technician']);

export interface ChangeLine {
	field: string;
	label: string;
	/** null for a secret, which has only its `to`: set, changed or removed. */
	from: string | null;
	to: string;
}

export const actionText = (action: string): string => (actionLabel[action] ? t(actionLabel[action]) : action);

function nameOf(value: unknown): string | null {
	return value && typeof value === 'object' && 'name' in value ? String(value.name) : null;
}

function valueText(field: string, value: unknown): string {
	if (value === null || value === undefined || value === '') return t('admin.audit.none');
	if (typeof value === 'boolean') return t(value ? 'admin.audit.yes' : 'admin.audit.no');
	if (field === 'access' && (value === 'open' || value === 'reserved'))
		return t(`admin.center.access.${value}`);
	if (Array.isArray(value)) {
		if (value.length === 0) return t('admin.audit.none');
		return value
			.map((item) =>
				field === 'roles' && roleNames.has(String(item))
					? t(`role.${item as 'agent'}`)
					: (nameOf(item) ?? String(item))
			)
			.join(', ');
	}
	return nameOf(value) ?? String(value);
}

/** The fields in the order the forms show them (PostgreSQL's jsonb keeps keys in its own order). */
const fieldOrder = Object.keys(fieldLabel);
const rank = (field: string) => (fieldOrder.includes(field) ? fieldOrder.indexOf(field) : fieldOrder.length);

export function changeLines(entry: Pick<AuditEntry, 'changes'>): ChangeLine[] {
	const fields = Object.entries(entry.changes).sort(([a], [b]) => rank(a) - rank(b));
	return fields.map(([field, { from, to }]) => {
		const label = fieldLabel[field] ? t(fieldLabel[field]) : field;
		if (secrets.has(field))
			return {
				field,
				label,
				from: null,
				to: t(
					!to ? 'admin.audit.secretRemoved' : from ? 'admin.audit.secretChanged' : 'admin.audit.secretSet'
				)
			};
		return { field, label, from: valueText(field, from), to: valueText(field, to) };
	});
}
