import { z } from 'zod';
import { actionChannelEnum, ticketOriginEnum, ticketStatusEnum } from '../../db/schema/tickets';
import { roleEnum } from '../../db/schema/identity';
import { serviceLevel, slaPolicyView, ticketPriority } from '../sla/sla.schemas';

export { ticketPriority };
export const ticketStatus = z.enum(ticketStatusEnum.enumValues);
export const ticketOrigin = z.enum(ticketOriginEnum.enumValues, {
	error: 'origin must be phone, email, portal, contract, rule or manual'
});
export const actionChannel = z.enum(actionChannelEnum.enumValues, {
	error: 'channel must be phone, email, portal, onsite or internal'
});

/** The queue views of a service centre. */
export const ticketViews = ['to_take', 'mine', 'my_groups', 'to_assign', 'open', 'breached'] as const;
export const ticketView = z.enum(ticketViews, { error: `view must be one of ${ticketViews.join(', ')}` });
export type TicketView = z.infer<typeof ticketView>;

/** The longest title and text (description, note) a ticket takes; the form counts toward them. */
export const ticketTitleMax = 200;
export const ticketTextMax = 20_000;

export const ticketIdParam = z.object({ id: z.uuid('id must be a UUID') });

export const ticketCreate = z
	.object({
		serviceCenterId: z.uuid('serviceCenterId must be a UUID'),
		customerId: z.uuid('customerId must be a UUID'),
		contactId: z.uuid('contactId must be a UUID').optional(),
		machineId: z.uuid('machineId must be a UUID').optional(),
		origin: ticketOrigin,
		/** The call-log entry the ticket is opened from: the call then lists the ticket. */
		callId: z.uuid('callId must be the id of a call in the call log').optional(),
		title: z
			.string({ error: 'title is required' })
			.trim()
			.min(3, 'title must have at least 3 characters')
			.max(ticketTitleMax),
		description: z.string().max(ticketTextMax).optional(),
		priority: ticketPriority.default('normal'),
		categoryId: z.uuid('categoryId must be a UUID').optional()
	})
	.strict();
export type TicketCreate = z.infer<typeof ticketCreate>;

export const ticketListQuery = z.object({
	view: ticketView.default('open'),
	serviceCenterId: z.uuid('serviceCenterId must be a UUID').optional(),
	page: z.coerce.number().int().min(1).max(10_000).default(1),
	pageSize: z.coerce.number().int().min(1).max(200).default(50)
});
export type TicketListQuery = z.infer<typeof ticketListQuery>;

export const ticketCountsQuery = z.object({
	serviceCenterId: z.uuid('serviceCenterId must be a UUID').optional()
});

export const ticketAction = z
	.object({
		reasonId: z.uuid('reasonId must be a UUID'),
		/** The version you read: a stale version gets 409 and changes nothing. */
		version: z.number({ error: 'version is required' }).int().positive(),
		note: z.string().trim().max(ticketTextMax).optional(),
		ownerId: z.uuid('ownerId must be a UUID').nullable().optional(),
		groupId: z.uuid('groupId must be a UUID').nullable().optional(),
		/** Overrides the action reason's default channel. */
		channel: actionChannel.optional(),
		/**
		 * For an action reason that e-mails the customer (the note is the e-mail's text): append
		 * the ticket's public history, when the reason leaves it to the operator.
		 */
		includeHistory: z.boolean({ error: 'includeHistory must be true or false' }).optional()
	})
	.strict();
export type TicketAction = z.infer<typeof ticketAction>;

const isoInstant = z.string().describe('ISO 8601 instant (UTC)');
const slaDeadline = z.enum(['first_response', 'resolution']);

/** One row of a queue, and the payload of every live ticket change. */
export const ticketRow = z.object({
	id: z.uuid(),
	number: z.string(),
	version: z.number().int(),
	serviceCenterId: z.uuid(),
	title: z.string(),
	status: ticketStatus,
	priority: ticketPriority,
	origin: ticketOrigin,
	customerId: z.uuid(),
	customerName: z.string(),
	customerBlocked: z.boolean(),
	machineId: z.uuid().nullable(),
	serviceLevel: serviceLevel.nullable(),
	categoryId: z.uuid().nullable(),
	categoryName: z.string().nullable(),
	ownerId: z.uuid().nullable(),
	ownerName: z.string().nullable(),
	groupId: z.uuid().nullable(),
	groupName: z.string().nullable(),
	openedAt: isoInstant,
	statusChangedAt: isoInstant,
	updatedAt: isoInstant,
	slaFirstResponseDueAt: isoInstant.nullable(),
	slaFirstResponseWarningAt: isoInstant.nullable(),
	slaFirstRespondedAt: isoInstant.nullable(),
	slaFirstResponseBreached: z.boolean(),
	slaResolutionDueAt: isoInstant.nullable(),
	slaResolutionWarningAt: isoInstant.nullable(),
	slaResolutionBreached: z.boolean(),
	/** What the row counts down to; null while the clock is stopped or no deadline is pending. */
	slaNextDeadline: slaDeadline.nullable(),
	slaNextDueAt: isoInstant.nullable(),
	/** When the countdown turns amber. */
	slaNextWarningAt: isoInstant.nullable(),
	/** The clock stands still (waiting for the customer...). */
	slaPaused: z.boolean(),
	slaBreached: z.boolean()
});
export type TicketRow = z.infer<typeof ticketRow>;

export const ticketList = z.object({
	items: z.array(ticketRow),
	page: z.number().int(),
	pageSize: z.number().int(),
	hasMore: z.boolean()
});
export type TicketList = z.infer<typeof ticketList>;

export const ticketCounts = z.object(
	Object.fromEntries(ticketViews.map((v) => [v, z.number().int()])) as Record<TicketView, z.ZodNumber>
);
export type TicketCounts = z.infer<typeof ticketCounts>;

export const historyEntry = z.object({
	id: z.uuid(),
	at: isoInstant,
	kind: z.enum(['created', 'action', 'sla', 'rule']),
	actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
	/** The operator's name, or the background job's. */
	actorName: z.string(),
	reason: z.object({ id: z.uuid(), code: z.string(), name: z.string() }).nullable(),
	changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
	note: z.string().nullable(),
	public: z.boolean(),
	channel: actionChannel.nullable(),
	version: z.number().int()
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const ticketDetail = ticketRow.extend({
	description: z.string().nullable(),
	callId: z.string().nullable(),
	contact: z.object({ id: z.uuid(), name: z.string() }).nullable(),
	machine: z.object({ id: z.uuid(), serialNumber: z.string(), model: z.string() }).nullable(),
	contract: z.object({ id: z.uuid(), code: z.string(), serviceLevel }).nullable(),
	createdBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
	resolvedAt: isoInstant.nullable(),
	closedAt: isoInstant.nullable(),
	slaFirstResponseMinutes: z.number().int().nullable(),
	slaResolutionMinutes: z.number().int().nullable(),
	slaPauses: z.array(z.object({ from: isoInstant, to: isoInstant.nullable() })),
	history: z.array(historyEntry),
	/** Action reasons the caller may use on the ticket as it is now. */
	availableReasonIds: z.array(z.uuid())
});
export type TicketDetail = z.infer<typeof ticketDetail>;

const recipient = z.enum(['owner', 'group_members', 'account_manager', 'service_center_head', 'supervisors']);

export const actionEffects = z.strictObject({
	setStatus: ticketStatus.optional(),
	assign: z.enum(['take', 'choose', 'release', 'requeue']).optional(),
	note: z.enum(['required', 'optional']).optional(),
	scheduleAppointment: z.boolean().optional(),
	notify: z.array(recipient).optional(),
	message: z
		.strictObject({
			to: z.enum(['contact', 'customer']),
			includeHistory: z.enum(['always', 'optional', 'never'])
		})
		.optional()
});

export const actionReasonView = z.object({
	id: z.uuid(),
	code: z.string(),
	name: z.string(),
	allowedFrom: z.array(ticketStatus),
	allowedRoles: z.array(z.enum(roleEnum.enumValues)),
	effects: actionEffects,
	defaultChannel: actionChannel,
	public: z.boolean(),
	/** The caller's roles allow it (statuses are checked per ticket). */
	usableByMe: z.boolean()
});

export const serviceCenterView = z.object({
	id: z.uuid(),
	code: z.string(),
	name: z.string(),
	access: z.enum(['open', 'reserved']),
	/** Groups of this centre the caller belongs to: the "my groups" and "to take" views. */
	myGroupIds: z.array(z.uuid()),
	groups: z.array(
		z.object({
			id: z.uuid(),
			name: z.string(),
			members: z.array(z.object({ id: z.uuid(), displayName: z.string() }))
		})
	),
	categories: z.array(
		z.object({
			id: z.uuid(),
			parentId: z.uuid().nullable(),
			code: z.string(),
			name: z.string(),
			path: z.string()
		})
	),
	actionReasons: z.array(actionReasonView),
	sla: slaPolicyView.nullable()
});
export type ServiceCenterView = z.infer<typeof serviceCenterView>;
