import { z } from 'zod';
import { roleEnum } from '../../db/schema/identity';
import {
	assignmentTargetEnum,
	automaticActionEnum,
	automaticTriggerEnum,
	groupDistributionEnum
} from '../../db/schema/tickets';
import { notificationEventEnum } from '../../db/schema/notifications';
import { businessCalendarSchema, MAX_TARGET_MINUTES } from '../sla/business-calendar';
import { serviceLevel, ticketPriority } from '../sla/sla.schemas';
import { actionChannel, actionEffects, ticketOrigin, ticketStatus } from '../tickets/tickets.schemas';

/*
 * The administrator's configuration of a service centre's support desk: business calendars,
 * the SLA policy, categories, action reasons, assignment / automatic / notification rules and
 * service groups. Minutes are business minutes; the UI shows hours.
 */

const uuid = (field: string) => z.uuid(`${field} must be a UUID`);
const name = z
	.string({ error: 'name is required' })
	.trim()
	.min(1, 'name is required')
	.max(120, 'name must have at most 120 characters');
const code = z
	.string({ error: 'code is required' })
	.trim()
	.regex(/^[A-Z0-9_]{1,30}$/, 'code: 1 to 30 capital letters, digits or underscores');
const version = z.number({ error: 'version is required' }).int().positive();
const uniqueList = <T extends z.ZodType>(item: T, field: string) =>
	z.array(item).refine((list) => new Set(list).size === list.length, `${field} lists a value twice`);

export const recipient = z.enum(
	['owner', 'group_members', 'account_manager', 'service_center_head', 'supervisors'],
	{ error: 'recipient must be owner, group_members, account_manager, service_center_head or supervisors' }
);
const recipients = uniqueList(recipient, 'recipients').min(1, 'recipients must name at least one recipient');
const role = z.enum(roleEnum.enumValues, { error: `role must be one of ${roleEnum.enumValues.join(', ')}` });

export const centerIdParam = z.object({ centerId: uuid('centerId') });
export const centerItemParam = z.object({ centerId: uuid('centerId'), id: uuid('id') });
export const idParam = z.object({ id: uuid('id') });

// ---------------------------------------------------------------------------------------------
// Business calendars

export const calendarInput = z.strictObject({ name, config: businessCalendarSchema });
export type CalendarInput = z.infer<typeof calendarInput>;
export const calendarUpdate = calendarInput.extend({ version });
export type CalendarUpdate = z.infer<typeof calendarUpdate>;

export const calendarView = z.object({
	id: z.uuid(),
	name: z.string(),
	config: businessCalendarSchema,
	version: z.number().int(),
	/** The service centres whose SLA policy counts on this calendar. */
	usedBy: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string() }))
});
export type CalendarView = z.infer<typeof calendarView>;

export const holidayRegion = z.object({ code: z.string(), name: z.string() });
export type HolidayRegion = z.infer<typeof holidayRegion>;

// ---------------------------------------------------------------------------------------------
// SLA policy

const businessMinutes = (field: string) =>
	z
		.number({ error: `${field} is required` })
		.int(`${field} must be a whole number of minutes`)
		.positive(`${field} must be positive`)
		.max(MAX_TARGET_MINUTES, `${field} must be at most ${MAX_TARGET_MINUTES} business minutes`);

export const slaTargetInput = z
	.strictObject({
		priority: ticketPriority,
		/** null: the default of the priority; a level: the override for contracts of that level. */
		serviceLevel: serviceLevel.nullable().default(null),
		firstResponseMinutes: businessMinutes('firstResponseMinutes'),
		resolutionMinutes: businessMinutes('resolutionMinutes')
	})
	.refine((t) => t.firstResponseMinutes <= t.resolutionMinutes, {
		message: 'firstResponseMinutes must not exceed resolutionMinutes',
		path: ['firstResponseMinutes']
	});

/** Resolved and closed always stop the clock; these are the statuses an administrator may add. */
const pausableStatus = z.enum(['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_parts'], {
	error: 'pauseStatuses may list new, assigned, in_progress, waiting_customer or waiting_parts'
});

export const slaPolicyInput = z
	.strictObject({
		/** The version read; null to create the centre's first policy. */
		version: version.nullable(),
		calendarId: uuid('calendarId'),
		warningShare: z
			.number({ error: 'warningShare is required' })
			.min(0.05, 'warningShare must be between 0.05 and 0.99')
			.max(0.99, 'warningShare must be between 0.05 and 0.99'),
		pauseStatuses: uniqueList(pausableStatus, 'pauseStatuses'),
		targets: z.array(slaTargetInput).max(16)
	})
	.superRefine((policy, ctx) => {
		const seen = new Set<string>();
		policy.targets.forEach((t, index) => {
			const key = `${t.priority}/${t.serviceLevel ?? 'default'}`;
			if (seen.has(key))
				ctx.addIssue({
					code: 'custom',
					path: ['targets', index, 'priority'],
					message: `a second target for ${t.priority}${t.serviceLevel ? ` (${t.serviceLevel})` : ''}`
				});
			seen.add(key);
		});
	});
export type SlaPolicyInput = z.infer<typeof slaPolicyInput>;

export const slaPolicyConfig = z.object({
	id: z.uuid(),
	calendarId: z.uuid(),
	warningShare: z.number(),
	pauseStatuses: z.array(ticketStatus),
	targets: z.array(
		z.object({
			priority: ticketPriority,
			serviceLevel: serviceLevel.nullable(),
			firstResponseMinutes: z.number().int(),
			resolutionMinutes: z.number().int()
		})
	),
	version: z.number().int()
});
export type SlaPolicyConfig = z.infer<typeof slaPolicyConfig>;

// ---------------------------------------------------------------------------------------------
// Categories

export const categoryInput = z.strictObject({
	parentId: uuid('parentId').nullable().default(null),
	code,
	name,
	sortOrder: z.number().int().min(0).max(10_000).default(0),
	active: z.boolean().default(true)
});
export type CategoryInput = z.infer<typeof categoryInput>;

export const categoryConfig = z.object({
	id: z.uuid(),
	parentId: z.uuid().nullable(),
	code: z.string(),
	name: z.string(),
	sortOrder: z.number().int(),
	active: z.boolean()
});
export type CategoryConfig = z.infer<typeof categoryConfig>;

// ---------------------------------------------------------------------------------------------
// Action reasons (causali)

export const actionReasonInput = z.strictObject({
	code,
	name,
	/** Statuses the action may be used from; empty means any. */
	allowedFrom: uniqueList(ticketStatus, 'allowedFrom').default([]),
	/** Roles that may use it; empty means anyone who works tickets. */
	allowedRoles: uniqueList(role, 'allowedRoles').default([]),
	effects: actionEffects.default({}),
	defaultChannel: actionChannel.default('internal'),
	public: z.boolean().default(false),
	sortOrder: z.number().int().min(0).max(10_000).default(0),
	active: z.boolean().default(true)
});
export type ActionReasonInput = z.infer<typeof actionReasonInput>;
export const actionReasonUpdate = actionReasonInput.extend({ version });
export type ActionReasonUpdate = z.infer<typeof actionReasonUpdate>;

export const actionReasonConfig = z.object({
	id: z.uuid(),
	code: z.string(),
	name: z.string(),
	allowedFrom: z.array(ticketStatus),
	allowedRoles: z.array(role),
	effects: actionEffects,
	defaultChannel: actionChannel,
	public: z.boolean(),
	sortOrder: z.number().int(),
	active: z.boolean(),
	version: z.number().int()
});
export type ActionReasonConfig = z.infer<typeof actionReasonConfig>;

// ---------------------------------------------------------------------------------------------
// Assignment rules

export const assignmentConditions = z
	.strictObject({
		categoryIds: uniqueList(uuid('categoryIds'), 'categoryIds').optional(),
		priorities: uniqueList(ticketPriority, 'priorities').optional(),
		customerIds: uniqueList(uuid('customerIds'), 'customerIds').optional(),
		machineModelIds: uniqueList(uuid('machineModelIds'), 'machineModelIds').optional(),
		serviceLevels: uniqueList(serviceLevel, 'serviceLevels').optional(),
		origins: uniqueList(ticketOrigin, 'origins').optional()
	})
	.default({});

export const assignmentRuleInput = z
	.strictObject({
		name,
		conditions: assignmentConditions,
		target: z.enum(assignmentTargetEnum.enumValues, { error: 'target must be operator, group or manual' }),
		targetUserId: uuid('targetUserId').nullable().default(null),
		targetGroupId: uuid('targetGroupId').nullable().default(null),
		distribution: z
			.enum(groupDistributionEnum.enumValues, {
				error: 'distribution must be queue, round_robin or least_loaded'
			})
			.default('queue'),
		active: z.boolean().default(true)
	})
	.superRefine((rule, ctx) => {
		if (rule.target === 'operator' && !rule.targetUserId)
			ctx.addIssue({
				code: 'custom',
				path: ['targetUserId'],
				message: 'an operator rule needs targetUserId'
			});
		if (rule.target === 'group' && !rule.targetGroupId)
			ctx.addIssue({ code: 'custom', path: ['targetGroupId'], message: 'a group rule needs targetGroupId' });
		if (rule.target !== 'operator' && rule.targetUserId)
			ctx.addIssue({
				code: 'custom',
				path: ['targetUserId'],
				message: 'only an operator rule names targetUserId'
			});
		if (rule.target === 'manual' && rule.targetGroupId)
			ctx.addIssue({ code: 'custom', path: ['targetGroupId'], message: 'a manual rule names no group' });
	});
export type AssignmentRuleInput = z.infer<typeof assignmentRuleInput>;

export const assignmentRuleConfig = z.object({
	id: z.uuid(),
	name: z.string(),
	position: z.number().int(),
	conditions: z.object({
		categoryIds: z.array(z.uuid()).optional(),
		priorities: z.array(ticketPriority).optional(),
		customerIds: z.array(z.uuid()).optional(),
		machineModelIds: z.array(z.uuid()).optional(),
		serviceLevels: z.array(serviceLevel).optional(),
		origins: z.array(ticketOrigin).optional()
	}),
	target: z.enum(assignmentTargetEnum.enumValues),
	targetUserId: z.uuid().nullable(),
	targetGroupId: z.uuid().nullable(),
	distribution: z.enum(groupDistributionEnum.enumValues),
	active: z.boolean()
});
export type AssignmentRuleConfig = z.infer<typeof assignmentRuleConfig>;

/** Every rule of the centre, in the new order. */
export const assignmentRuleOrder = z.strictObject({
	ids: uniqueList(uuid('ids'), 'ids').min(1, 'ids must list the rules in their new order')
});
export type AssignmentRuleOrder = z.infer<typeof assignmentRuleOrder>;

// ---------------------------------------------------------------------------------------------
// Automatic and notification rules

export const automaticRuleInput = z
	.strictObject({
		name,
		trigger: z.enum(automaticTriggerEnum.enumValues, { error: 'trigger must be status_held or unassigned' }),
		status: ticketStatus.nullable().default(null),
		afterMinutes: businessMinutes('afterMinutes'),
		businessTime: z.boolean().default(true),
		action: z.enum(automaticActionEnum.enumValues, {
			error: 'action must be remind_customer, close or notify'
		}),
		recipients: uniqueList(recipient, 'recipients').default([]),
		active: z.boolean().default(true)
	})
	.superRefine((rule, ctx) => {
		if (rule.trigger === 'status_held' && !rule.status)
			ctx.addIssue({ code: 'custom', path: ['status'], message: 'a status_held rule needs the status' });
		if (rule.trigger === 'status_held' && (rule.status === 'resolved' || rule.status === 'closed'))
			ctx.addIssue({ code: 'custom', path: ['status'], message: 'status must be an open status' });
		if (rule.trigger === 'unassigned' && rule.status)
			ctx.addIssue({ code: 'custom', path: ['status'], message: 'an unassigned rule names no status' });
		if (rule.action === 'notify' && rule.recipients.length === 0)
			ctx.addIssue({
				code: 'custom',
				path: ['recipients'],
				message: 'a notify rule needs at least one recipient'
			});
	});
export type AutomaticRuleInput = z.infer<typeof automaticRuleInput>;

export const automaticRuleConfig = z.object({
	id: z.uuid(),
	name: z.string(),
	trigger: z.enum(automaticTriggerEnum.enumValues),
	status: ticketStatus.nullable(),
	afterMinutes: z.number().int(),
	businessTime: z.boolean(),
	action: z.enum(automaticActionEnum.enumValues),
	recipients: z.array(recipient),
	active: z.boolean()
});
export type AutomaticRuleConfig = z.infer<typeof automaticRuleConfig>;

const notificationConditions = z
	.strictObject({
		priorities: uniqueList(ticketPriority, 'priorities').optional(),
		origins: uniqueList(ticketOrigin, 'origins').optional(),
		categoryIds: uniqueList(uuid('categoryIds'), 'categoryIds').optional(),
		customerBlocked: z.boolean().optional()
	})
	.default({});

export const notificationRuleInput = z.strictObject({
	name,
	event: z.enum(notificationEventEnum.enumValues, {
		error: `event must be one of ${notificationEventEnum.enumValues.join(', ')}`
	}),
	conditions: notificationConditions,
	recipients,
	active: z.boolean().default(true)
});
export type NotificationRuleInput = z.infer<typeof notificationRuleInput>;

export const notificationRuleConfig = z.object({
	id: z.uuid(),
	name: z.string(),
	event: z.enum(notificationEventEnum.enumValues),
	conditions: z.object({
		priorities: z.array(ticketPriority).optional(),
		origins: z.array(ticketOrigin).optional(),
		categoryIds: z.array(z.uuid()).optional(),
		customerBlocked: z.boolean().optional()
	}),
	recipients: z.array(recipient),
	active: z.boolean()
});
export type NotificationRuleConfig = z.infer<typeof notificationRuleConfig>;

// ---------------------------------------------------------------------------------------------
// Service groups

export const groupInput = z.strictObject({ name });
export type GroupInput = z.infer<typeof groupInput>;
export const groupMembersInput = z.strictObject({
	userIds: uniqueList(uuid('userIds'), 'userIds').max(500)
});
export type GroupMembersInput = z.infer<typeof groupMembersInput>;

export const groupConfig = z.object({
	id: z.uuid(),
	name: z.string(),
	members: z.array(z.object({ id: z.uuid(), username: z.string(), displayName: z.string() }))
});
export type GroupConfig = z.infer<typeof groupConfig>;

// ---------------------------------------------------------------------------------------------
// A centre's whole desk configuration, as the admin screen loads it

const centerAccess = z.enum(['open', 'reserved'], { error: 'access must be open or reserved' });

export const deskCenter = z.object({
	id: z.uuid(),
	code: z.string(),
	name: z.string(),
	/** open: everyone who works tickets sees it; reserved: its head and its groups' members. */
	access: centerAccess,
	active: z.boolean(),
	email: z.string().nullable(),
	/** The centre head: sees a reserved centre, and is the "service_center_head" of notifications. */
	headUserId: z.uuid().nullable(),
	/** The business calendar of the centre's SLA policy; null while it has none. */
	calendarId: z.uuid().nullable(),
	version: z.number().int()
});
export type DeskCenter = z.infer<typeof deskCenter>;

const centerFields = {
	code,
	name,
	access: centerAccess,
	email: z.email('email is not a valid address').max(254, 'email is too long').nullable(),
	headUserId: uuid('headUserId').nullable(),
	calendarId: uuid('calendarId')
};

/** A new service centre; with a calendar it gets an SLA policy on it (targets are set on the desk screen). */
export const centerInput = z.strictObject({
	...centerFields,
	access: centerAccess.default('open'),
	email: centerFields.email.optional(),
	headUserId: centerFields.headUserId.optional(),
	calendarId: centerFields.calendarId.nullable().optional()
});
export type CenterInput = z.infer<typeof centerInput>;

/** A partial change with the version read. The calendar can be replaced, not removed. */
export const centerPatch = z.strictObject({
	version,
	code: code.optional(),
	name: name.optional(),
	access: centerAccess.optional(),
	active: z.boolean({ error: 'active must be true or false' }).optional(),
	email: centerFields.email.optional(),
	headUserId: centerFields.headUserId.optional(),
	calendarId: centerFields.calendarId.optional()
});
export type CenterPatch = z.infer<typeof centerPatch>;

/** A group of any centre, for choosing a person's groups. */
export const groupOption = z.object({
	id: z.uuid(),
	name: z.string(),
	serviceCenterId: z.uuid(),
	centerCode: z.string(),
	centerName: z.string()
});
export type GroupOption = z.infer<typeof groupOption>;

export const deskConfig = z.object({
	center: deskCenter,
	slaPolicy: slaPolicyConfig.nullable(),
	categories: z.array(categoryConfig),
	actionReasons: z.array(actionReasonConfig),
	assignmentRules: z.array(assignmentRuleConfig),
	automaticRules: z.array(automaticRuleConfig),
	notificationRules: z.array(notificationRuleConfig),
	groups: z.array(groupConfig),
	/** The machine-model catalogue, for the machine-model condition of assignment rules. */
	machineModels: z.array(z.object({ id: z.uuid(), manufacturer: z.string(), name: z.string() })),
	/** The customers that assignment rules of the centre name. */
	ruleCustomers: z.array(z.object({ id: z.uuid(), code: z.string(), companyName: z.string() }))
});
export type DeskConfig = z.infer<typeof deskConfig>;
