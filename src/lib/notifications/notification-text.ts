import { t } from '$lib/i18n/i18n.svelte';
import type { NotificationView } from './notifications-api';

/**
 * The words of a notification in the reader's language. The server stores only the facts
 * (kind, ticket number, title, rule...), so a notification reads right in any language.
 */
export function notificationText(n: NotificationView): {
	headline: string;
	detail: string;
	note: string | null;
} {
	const d = n.data;
	const number = d.number ?? '—';
	const actor = d.actorName;
	const deadline = d.deadline ? t(`sla.deadline.${d.deadline}`) : '';
	let headline: string;
	switch (n.kind) {
		case 'ticket_opened':
			headline = t('notifications.ticketOpened', { number });
			break;
		case 'ticket_assigned':
			headline = actor
				? t('notifications.ticketAssignedBy', { number, actor })
				: t('notifications.ticketAssigned', { number });
			break;
		case 'ticket_closed':
			headline = actor
				? t('notifications.ticketClosedBy', { number, actor })
				: t('notifications.ticketClosed', { number });
			break;
		case 'sla_warning':
			headline = t('notifications.slaWarning', { number, deadline });
			break;
		case 'sla_breached':
			headline = t('notifications.slaBreached', { number, deadline });
			break;
		case 'ticket_unassigned':
			headline = t('notifications.ticketUnassigned', { number });
			break;
		case 'customer_reminded':
			headline = t('notifications.customerReminded', { number });
			break;
		case 'ticket_auto_closed':
			headline = t('notifications.ticketAutoClosed', { number });
			break;
		case 'rule_notice':
			headline = t('notifications.ruleNotice', { number });
			break;
		case 'action_notice':
			headline = t('notifications.actionNotice', {
				number,
				actor: actor ?? '—',
				reason: d.reasonName ?? '—'
			});
			break;
	}
	const detail = [d.title, d.customerName, d.ruleName ? t('notifications.rule', { rule: d.ruleName }) : null]
		.filter(Boolean)
		.join(' · ');
	return { headline, detail, note: d.note ?? null };
}
