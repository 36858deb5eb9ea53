import { i18n, t, type PlainKey } from '$lib/i18n/i18n.svelte';
import type { HistoryEntry } from '$lib/tickets/tickets-api';

export interface ChangeLine {
	key: string;
	label: string;
	/** Null for a value that did not exist before, or for a flag that tells all by its label. */
	from: string | null;
	to: string | null;
}

/** Marks the SLA job sets: their label says everything. */
const flags: Record<string, PlainKey> = {
	slaFirstResponseWarned: 'tickets.change.slaFirstResponseWarned',
	slaFirstResponseBreached: 'tickets.change.slaFirstResponseBreached',
	slaResolutionWarned: 'tickets.change.slaResolutionWarned',
	slaResolutionBreached: 'tickets.change.slaResolutionBreached'
};

const labels: Record<string, PlainKey> = {
	status: 'tickets.change.status',
	priority: 'tickets.change.priority',
	owner: 'tickets.change.owner',
	group: 'tickets.change.group',
	assignmentRule: 'tickets.change.assignmentRule',
	firstResponse: 'tickets.change.firstResponse',
	appointment: 'tickets.change.appointment',
	reminder: 'tickets.change.reminder',
	message: 'tickets.change.message'
};

const isNamed = (value: unknown): value is { name: string } =>
	typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';

/** The history's record of an e-mail: `{to: [addresses], subject, includesHistory}`. */
function messageText(value: unknown): string | null {
	if (typeof value !== 'object' || value === null) return null;
	const { to, includesHistory } = value as { to?: unknown; includesHistory?: unknown };
	const addresses = Array.isArray(to) ? to.join(', ') : '';
	return includesHistory
		? t('tickets.change.messageToWithHistory', { to: addresses })
		: t('tickets.change.messageTo', { to: addresses });
}

function valueText(key: string, value: unknown, timeZone: string): string | null {
	if (value === null || value === undefined) return null;
	if (key === 'message') return messageText(value);
	if (isNamed(value)) return value.name;
	if (typeof value === 'string') {
		switch (key) {
			case 'status':
				return t(`tickets.status.${value as 'new'}`);
			case 'priority':
				return t(`tickets.priority.${value as 'normal'}`);
			case 'firstResponse':
				return i18n.instant(value, timeZone);
			case 'appointment':
				return value === 'to_schedule' ? t('tickets.change.appointmentToSchedule') : value;
			case 'reminder':
				return value === 'customer' ? t('tickets.change.reminderCustomer') : value;
		}
		return value;
	}
	return typeof value === 'boolean' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The changes of a history entry, worded for the reader; times in `timeZone` (the centre's calendar). */
export function changeLines(changes: HistoryEntry['changes'], timeZone: string): ChangeLine[] {
	return Object.entries(changes).map(([key, change]) => {
		const flag = flags[key];
		if (flag) return { key, label: t(flag), from: null, to: null };
		return {
			key,
			label: labels[key] ? t(labels[key]) : key,
			from: valueText(key, change.from, timeZone),
			to: valueText(key, change.to, timeZone)
		};
	});
}
