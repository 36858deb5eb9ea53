import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { AppEnv } from '../http/env';
import { validationHook } from '../http/validation';
import { requireActor } from '../http/session-middleware';
import { errorResponses } from '../http/openapi';
import {
	actionReasonConfig,
	actionReasonInput,
	actionReasonUpdate,
	assignmentRuleConfig,
	assignmentRuleInput,
	assignmentRuleOrder,
	automaticRuleConfig,
	automaticRuleInput,
	calendarInput,
	calendarUpdate,
	calendarView,
	categoryConfig,
	categoryInput,
	centerIdParam,
	centerInput,
	centerItemParam,
	centerPatch,
	deskCenter,
	deskConfig,
	groupConfig,
	groupInput,
	groupMembersInput,
	groupOption,
	holidayRegion,
	idParam,
	notificationRuleConfig,
	notificationRuleInput,
	slaPolicyConfig,
	slaPolicyInput
} from './desk-config.schemas';
import { getDeskConfig, listDeskCenters } from './desk-config.service';
import {
	createCalendar,
	deleteCalendar,
	listCalendars,
	listHolidayRegions,
	updateCalendar
} from './calendars.service';
import { saveSlaPolicy } from './sla-policy.service';
import { createCategory, updateCategory } from './categories.service';
import { createActionReason, updateActionReason } from './action-reasons.service';
import {
	createAssignmentRule,
	createAutomaticRule,
	createNotificationRule,
	reorderAssignmentRules,
	updateAssignmentRule,
	updateAutomaticRule,
	updateNotificationRule
} from './rules.service';
import { createGroup, deleteGroup, listAllGroups, renameGroup, setGroupMembers } from './groups.service';
import { centerAuditTrail, createCenter, updateCenter } from './centers.service';
import { auditTrail } from '../audit/audit.schemas';

/*
 * The support desk's configuration, per service centre (administrators write, supervisors read).
 * Rows with a `version` (calendars, SLA policies, action reasons) take the version read and
 * answer 409 when it is stale.
 */

const tags = ['desk-config'];
const json = <T extends ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const body = <T extends ZodType>(schema: T) => ({ body: { required: true, ...json(schema) } });
const center = '/desk-config/centers/{centerId}';

const listCentersRoute = createRoute({
	method: 'get',
	path: '/desk-config/centers',
	tags,
	summary: 'Service centres whose desk the caller may configure (administrators) or read (supervisors)',
	responses: {
		200: { description: 'Centres', ...json(z.object({ items: z.array(deskCenter) })) },
		...errorResponses(401, 403)
	}
});

const getConfigRoute = createRoute({
	method: 'get',
	path: center,
	tags,
	summary: "A centre's SLA policy, categories, action reasons, rules and groups, inactive rows included",
	request: { params: centerIdParam },
	responses: {
		200: { description: 'The configuration', ...json(deskConfig) },
		...errorResponses(400, 401, 403, 404)
	}
});

const createCenterRoute = createRoute({
	method: 'post',
	path: '/desk-config/centers',
	tags,
	summary: 'Create a service centre (administrators); with a calendar it gets an SLA policy on it',
	request: body(centerInput),
	responses: {
		201: { description: 'Created', ...json(deskCenter) },
		...errorResponses(400, 401, 403, 409)
	}
});

const updateCenterRoute = createRoute({
	method: 'patch',
	path: center,
	tags,
	summary:
		"Change a service centre's code, name, access, head, e-mail, calendar or active flag; send the version read",
	description:
		'Making a centre reserved or inactive takes its queue away from the consoles that no longer see it at once; a centre with open tickets cannot be deactivated.',
	request: { params: centerIdParam, ...body(centerPatch) },
	responses: {
		200: { description: 'Saved', ...json(deskCenter) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const centerAuditRoute = createRoute({
	method: 'get',
	path: `${center}/audit`,
	tags,
	summary: "The centre's audit trail, newest first: who changed what",
	request: { params: centerIdParam },
	responses: {
		200: { description: 'The trail', ...json(auditTrail) },
		...errorResponses(400, 401, 403, 404)
	}
});

const listGroupsRoute = createRoute({
	method: 'get',
	path: '/desk-config/groups',
	tags,
	summary: "The groups of every centre the caller may read, for choosing a person's groups",
	responses: {
		200: { description: 'Groups', ...json(z.object({ items: z.array(groupOption) })) },
		...errorResponses(401, 403)
	}
});

const listCalendarsRoute = createRoute({
	method: 'get',
	path: '/desk-config/calendars',
	tags,
	summary: 'Business calendars, with the centres whose SLA policy uses each',
	responses: {
		200: { description: 'Calendars', ...json(z.object({ items: z.array(calendarView) })) },
		...errorResponses(401, 403)
	}
});

const holidayRegionsRoute = createRoute({
	method: 'get',
	path: '/desk-config/holiday-regions',
	tags,
	summary: 'Regions and cities whose own public holidays a calendar may add (`config.region`)',
	responses: {
		200: { description: 'Regions', ...json(z.object({ items: z.array(holidayRegion) })) },
		...errorResponses(401, 403)
	}
});

const createCalendarRoute = createRoute({
	method: 'post',
	path: '/desk-config/calendars',
	tags,
	summary: 'Create a business calendar (working hours per weekday, time zone, holidays, closures)',
	request: body(calendarInput),
	responses: {
		201: { description: 'Created', ...json(calendarView) },
		...errorResponses(400, 401, 403)
	}
});

const updateCalendarRoute = createRoute({
	method: 'put',
	path: '/desk-config/calendars/{id}',
	tags,
	summary: 'Replace a business calendar; send the version read',
	description:
		'Open tickets keep the deadlines they were given; deadlines computed from now on use the new hours.',
	request: { params: idParam, ...body(calendarUpdate) },
	responses: {
		200: { description: 'Saved', ...json(calendarView) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const deleteCalendarRoute = createRoute({
	method: 'delete',
	path: '/desk-config/calendars/{id}',
	tags,
	summary: 'Delete a business calendar that no SLA policy uses',
	request: { params: idParam },
	responses: {
		204: { description: 'Deleted' },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const saveSlaPolicyRoute = createRoute({
	method: 'put',
	path: `${center}/sla-policy`,
	tags,
	summary:
		"Create or replace the centre's SLA policy with all its targets; send the version read (null to create)",
	description:
		'Targets are business minutes per priority, with optional overrides per contract service level; they are replaced as a whole. Tickets already open keep their deadlines; new tickets get the new policy.',
	request: { params: centerIdParam, ...body(slaPolicyInput) },
	responses: {
		200: { description: 'Saved', ...json(slaPolicyConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const createCategoryRoute = createRoute({
	method: 'post',
	path: `${center}/categories`,
	tags,
	summary: 'Add a category, at the top or below a parent of the same centre',
	request: { params: centerIdParam, ...body(categoryInput) },
	responses: {
		201: { description: 'Created', ...json(categoryConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const updateCategoryRoute = createRoute({
	method: 'put',
	path: `${center}/categories/{id}`,
	tags,
	summary: 'Replace a category (move, rename, deactivate with active: false)',
	request: { params: centerItemParam, ...body(categoryInput) },
	responses: {
		200: { description: 'Saved', ...json(categoryConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const createReasonRoute = createRoute({
	method: 'post',
	path: `${center}/action-reasons`,
	tags,
	summary: 'Add an action reason (causale); its code is unique in the centre',
	request: { params: centerIdParam, ...body(actionReasonInput) },
	responses: {
		201: { description: 'Created', ...json(actionReasonConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const updateReasonRoute = createRoute({
	method: 'put',
	path: `${center}/action-reasons/{id}`,
	tags,
	summary: 'Replace an action reason (deactivate with active: false); send the version read',
	request: { params: centerItemParam, ...body(actionReasonUpdate) },
	responses: {
		200: { description: 'Saved', ...json(actionReasonConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const createAssignmentRoute = createRoute({
	method: 'post',
	path: `${center}/assignment-rules`,
	tags,
	summary: 'Add an assignment rule, tried after the existing ones',
	request: { params: centerIdParam, ...body(assignmentRuleInput) },
	responses: {
		201: { description: 'Created', ...json(assignmentRuleConfig) },
		...errorResponses(400, 401, 403, 404)
	}
});

const updateAssignmentRoute = createRoute({
	method: 'put',
	path: `${center}/assignment-rules/{id}`,
	tags,
	summary: 'Replace an assignment rule (deactivate with active: false)',
	request: { params: centerItemParam, ...body(assignmentRuleInput) },
	responses: {
		200: { description: 'Saved', ...json(assignmentRuleConfig) },
		...errorResponses(400, 401, 403, 404)
	}
});

const reorderAssignmentRoute = createRoute({
	method: 'put',
	path: `${center}/assignment-rules-order`,
	tags,
	summary: 'Set the order in which the assignment rules are tried (every rule id, first first)',
	request: { params: centerIdParam, ...body(assignmentRuleOrder) },
	responses: {
		200: {
			description: 'The rules in their new order',
			...json(z.object({ items: z.array(assignmentRuleConfig) }))
		},
		...errorResponses(400, 401, 403, 404)
	}
});

const createAutomaticRoute = createRoute({
	method: 'post',
	path: `${center}/automatic-rules`,
	tags,
	summary: 'Add a scheduled automatic rule',
	request: { params: centerIdParam, ...body(automaticRuleInput) },
	responses: {
		201: { description: 'Created', ...json(automaticRuleConfig) },
		...errorResponses(400, 401, 403, 404)
	}
});

const updateAutomaticRoute = createRoute({
	method: 'put',
	path: `${center}/automatic-rules/{id}`,
	tags,
	summary: 'Replace an automatic rule (deactivate with active: false)',
	request: { params: centerItemParam, ...body(automaticRuleInput) },
	responses: {
		200: { description: 'Saved', ...json(automaticRuleConfig) },
		...errorResponses(400, 401, 403, 404)
	}
});

const createNotificationRoute = createRoute({
	method: 'post',
	path: `${center}/notification-rules`,
	tags,
	summary: 'Add a notification rule',
	request: { params: centerIdParam, ...body(notificationRuleInput) },
	responses: {
		201: { description: 'Created', ...json(notificationRuleConfig) },
		...errorResponses(400, 401, 403, 404)
	}
});

const updateNotificationRoute = createRoute({
	method: 'put',
	path: `${center}/notification-rules/{id}`,
	tags,
	summary: 'Replace a notification rule (deactivate with active: false)',
	request: { params: centerItemParam, ...body(notificationRuleInput) },
	responses: {
		200: { description: 'Saved', ...json(notificationRuleConfig) },
		...errorResponses(400, 401, 403, 404)
	}
});

const createGroupRoute = createRoute({
	method: 'post',
	path: `${center}/groups`,
	tags,
	summary: 'Add a service group',
	request: { params: centerIdParam, ...body(groupInput) },
	responses: {
		201: { description: 'Created', ...json(groupConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const renameGroupRoute = createRoute({
	method: 'put',
	path: `${center}/groups/{id}`,
	tags,
	summary: 'Rename a service group',
	request: { params: centerItemParam, ...body(groupInput) },
	responses: {
		200: { description: 'Saved', ...json(groupConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const deleteGroupRoute = createRoute({
	method: 'delete',
	path: `${center}/groups/{id}`,
	tags,
	summary: 'Delete a service group that no ticket and no assignment rule names',
	request: { params: centerItemParam },
	responses: {
		204: { description: 'Deleted' },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

const setMembersRoute = createRoute({
	method: 'put',
	path: `${center}/groups/{id}/members`,
	tags,
	summary: "Replace a group's members; their open consoles start or stop hearing the centre's queue at once",
	request: { params: centerItemParam, ...body(groupMembersInput) },
	responses: {
		200: { description: 'Saved', ...json(groupConfig) },
		...errorResponses(400, 401, 403, 404, 409)
	}
});

export const deskConfigRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
	.openapi(listCentersRoute, async (c) => {
		requireActor(c);
		return c.json({ items: await listDeskCenters({ ctx: c.var.ctx, input: undefined }) }, 200);
	})
	.openapi(createCenterRoute, async (c) => {
		requireActor(c);
		return c.json(await createCenter({ ctx: c.var.ctx, input: c.req.valid('json') }), 201);
	})
	.openapi(updateCenterRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await updateCenter({ ctx: c.var.ctx, input: { id: centerId, patch: c.req.valid('json') } }),
			200
		);
	})
	.openapi(centerAuditRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json({ items: await centerAuditTrail({ ctx: c.var.ctx, input: { id: centerId } }) }, 200);
	})
	.openapi(listGroupsRoute, async (c) => {
		requireActor(c);
		return c.json({ items: await listAllGroups({ ctx: c.var.ctx, input: undefined }) }, 200);
	})
	.openapi(getConfigRoute, async (c) => {
		requireActor(c);
		return c.json(await getDeskConfig({ ctx: c.var.ctx, input: c.req.valid('param') }), 200);
	})
	.openapi(listCalendarsRoute, async (c) => {
		requireActor(c);
		return c.json({ items: await listCalendars({ ctx: c.var.ctx, input: undefined }) }, 200);
	})
	.openapi(holidayRegionsRoute, (c) => {
		requireActor(c);
		return c.json({ items: listHolidayRegions({ ctx: c.var.ctx, input: undefined }) }, 200);
	})
	.openapi(createCalendarRoute, async (c) => {
		requireActor(c);
		return c.json(await createCalendar({ ctx: c.var.ctx, input: c.req.valid('json') }), 201);
	})
	.openapi(updateCalendarRoute, async (c) => {
		requireActor(c);
		const { id } = c.req.valid('param');
		return c.json(
			await updateCalendar({ ctx: c.var.ctx, input: { id, calendar: c.req.valid('json') } }),
			200
		);
	})
	.openapi(deleteCalendarRoute, async (c) => {
		requireActor(c);
		await deleteCalendar({ ctx: c.var.ctx, input: c.req.valid('param') });
		return c.body(null, 204);
	})
	.openapi(saveSlaPolicyRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await saveSlaPolicy({ ctx: c.var.ctx, input: { centerId, policy: c.req.valid('json') } }),
			200
		);
	})
	.openapi(createCategoryRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await createCategory({ ctx: c.var.ctx, input: { centerId, category: c.req.valid('json') } }),
			201
		);
	})
	.openapi(updateCategoryRoute, async (c) => {
		requireActor(c);
		return c.json(
			await updateCategory({
				ctx: c.var.ctx,
				input: { ...c.req.valid('param'), category: c.req.valid('json') }
			}),
			200
		);
	})
	.openapi(createReasonRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await createActionReason({ ctx: c.var.ctx, input: { centerId, reason: c.req.valid('json') } }),
			201
		);
	})
	.openapi(updateReasonRoute, async (c) => {
		requireActor(c);
		return c.json(
			await updateActionReason({
				ctx: c.var.ctx,
				input: { ...c.req.valid('param'), reason: c.req.valid('json') }
			}),
			200
		);
	})
	.openapi(createAssignmentRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await createAssignmentRule({ ctx: c.var.ctx, input: { centerId, rule: c.req.valid('json') } }),
			201
		);
	})
	.openapi(updateAssignmentRoute, async (c) => {
		requireActor(c);
		return c.json(
			await updateAssignmentRule({
				ctx: c.var.ctx,
				input: { ...c.req.valid('param'), rule: c.req.valid('json') }
			}),
			200
		);
	})
	.openapi(reorderAssignmentRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		const items = await reorderAssignmentRules({
			ctx: c.var.ctx,
			input: { centerId, order: c.req.valid('json') }
		});
		return c.json({ items }, 200);
	})
	.openapi(createAutomaticRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await createAutomaticRule({ ctx: c.var.ctx, input: { centerId, rule: c.req.valid('json') } }),
			201
		);
	})
	.openapi(updateAutomaticRoute, async (c) => {
		requireActor(c);
		return c.json(
			await updateAutomaticRule({
				ctx: c.var.ctx,
				input: { ...c.req.valid('param'), rule: c.req.valid('json') }
			}),
			200
		);
	})
	.openapi(createNotificationRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await createNotificationRule({ ctx: c.var.ctx, input: { centerId, rule: c.req.valid('json') } }),
			201
		);
	})
	.openapi(updateNotificationRoute, async (c) => {
		requireActor(c);
		return c.json(
			await updateNotificationRule({
				ctx: c.var.ctx,
				input: { ...c.req.valid('param'), rule: c.req.valid('json') }
			}),
			200
		);
	})
	.openapi(createGroupRoute, async (c) => {
		requireActor(c);
		const { centerId } = c.req.valid('param');
		return c.json(
			await createGroup({ ctx: c.var.ctx, input: { centerId, group: c.req.valid('json') } }),
			201
		);
	})
	.openapi(renameGroupRoute, async (c) => {
		requireActor(c);
		return c.json(
			await renameGroup({ ctx: c.var.ctx, input: { ...c.req.valid('param'), group: c.req.valid('json') } }),
			200
		);
	})
	.openapi(deleteGroupRoute, async (c) => {
		requireActor(c);
		await deleteGroup({ ctx: c.var.ctx, input: c.req.valid('param') });
		return c.body(null, 204);
	})
	.openapi(setMembersRoute, async (c) => {
		requireActor(c);
		return c.json(
			await setGroupMembers({
				ctx: c.var.ctx,
				input: { ...c.req.valid('param'), members: c.req.valid('json') }
			}),
			200
		);
	});
