/** The values the desk settings offer, in the order the forms list them. */
export const statuses = [
	'new',
	'assigned',
	'in_progress',
	'waiting_customer',
	'waiting_parts',
	'resolved',
	'closed'
] as const;
export const openStatuses = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_parts'] as const;
export const roles = ['agent', 'dispatcher', 'supervisor', 'admin'] as const;
export const channels = ['phone', 'email', 'portal', 'onsite', 'internal'] as const;
export const origins = ['phone', 'email', 'portal', 'contract', 'rule', 'manual'] as const;
export const recipients = [
	'owner',
	'group_members',
	'account_manager',
	'service_center_head',
	'supervisors'
] as const;
export const notificationEvents = [
	'ticket_opened',
	'ticket_assigned',
	'ticket_closed',
	'sla_warning',
	'sla_breached'
] as const;
