import { and, asc, count, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client';
import {
	actionReasons,
	contacts,
	contractLines,
	contracts,
	customers,
	machineModels,
	machines,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	ticketCategories,
	ticketCounters,
	ticketHistory,
	ticketIsOpen,
	tickets,
	users,
	type HistoryChange,
	type TicketStatus
} from '../../db/schema';
import { inTransaction, type Actor, type ServiceArgs } from '../core/context';
import { authorize, can } from '../auth/policy';
import { badRequest, conflict, forbidden, notFound } from '../core/errors';
import { loadSlaSetup } from '../sla/sla.service';
import {
	openedSlaState,
	clockStopped,
	computeTicketSla,
	isDone,
	localYear,
	pendingInstants,
	targetFor,
	updatePauses,
	type TicketSlaState
} from '../sla/ticket-sla';
import { applyNotificationRules, resolveRecipients } from '../notifications/notification-rules';
import { sendNotifications } from '../notifications/notifications.service';
import { linkTicketToCall } from '../calls/calls.service';
import { draftActionEmail, messageChange, queueMessage } from '../messages/messages.service';
import { assignByRules } from './assignment';
import {
	actorIdentity,
	factsOf,
	saveTicketChange,
	type Ticket,
	type TicketChangeSet
} from './ticket-changes';
import { loadTicketRows, selectTicketRows, toTicketRow } from './ticket-rows';
import { assertServiceCenterVisible, visibleServiceCenterIds } from './visibility';
import type {
	HistoryEntry,
	TicketAction,
	TicketCounts,
	TicketCreate,
	TicketDetail,
	TicketList,
	TicketListQuery,
	TicketView
} from './tickets.schemas';
import { ticketViews } from './tickets.schemas';

const DEFAULT_TIME_ZONE = 'Europe/Rome';

const slaStateOf = (t: Ticket): TicketSlaState => ({
	status: t.status,
	openedAt: t.openedAt,
	slaFirstResponseMinutes: t.slaFirstResponseMinutes,
	slaResolutionMinutes: t.slaResolutionMinutes,
	slaPauses: t.slaPauses,
	slaFirstRespondedAt: t.slaFirstRespondedAt,
	slaFirstResponseDueAt: t.slaFirstResponseDueAt,
	slaFirstResponseWarningAt: t.slaFirstResponseWarningAt,
	slaFirstResponseWarned: t.slaFirstResponseWarned,
	slaFirstResponseBreached: t.slaFirstResponseBreached,
	slaResolutionDueAt: t.slaResolutionDueAt,
	slaResolutionWarningAt: t.slaResolutionWarningAt,
	slaResolutionWarned: t.slaResolutionWarned,
	slaResolutionBreached: t.slaResolutionBreached
});

async function nameOfUser(db: DbOrTx, id: string | null) {
	if (!id) return null;
	const [u] = await db.select({ id: users.id, name: users.displayName }).from(users).where(eq(users.id, id));
	return u ?? null;
}

async function nameOfGroup(db: DbOrTx, id: string | null) {
	if (!id) return null;
	const [g] = await db
		.select({ id: serviceGroups.id, name: serviceGroups.name })
		.from(serviceGroups)
		.where(eq(serviceGroups.id, id));
	return g ?? null;
}

/** History changes for owner and group, with names, so the history reads without joins. */
async function assignmentChanges(
	db: DbOrTx,
	before: { ownerId: string | null; groupId: string | null },
	after: { ownerId: string | null; groupId: string | null }
) {
	const changes: Record<string, HistoryChange> = {};
	if (before.ownerId !== after.ownerId) {
		changes.owner = { from: await nameOfUser(db, before.ownerId), to: await nameOfUser(db, after.ownerId) };
	}
	if (before.groupId !== after.groupId) {
		changes.group = { from: await nameOfGroup(db, before.groupId), to: await nameOfGroup(db, after.groupId) };
	}
	return changes;
}

// ---------------------------------------------------------------------------------------------
// Create

/**
 * Opens a ticket: number from the centre's yearly counter, contract and service level from the
 * machine, owner or group from the assignment rules, SLA deadlines from the centre's policy.
 */
export async function createTicket({ ctx, input }: ServiceArgs<TicketCreate>): Promise<TicketDetail> {
	authorize(ctx.actor, 'tickets:write');
	const actor = ctx.actor;
	return inTransaction(ctx, async (tx) => {
		const { db } = tx;
		const [center] = await db
			.select()
			.from(serviceCenters)
			.where(eq(serviceCenters.id, input.serviceCenterId));
		if (!center || !center.active)
			throw badRequest('serviceCenterId: no such active service centre', 'serviceCenterId');
		await assertServiceCenterVisible(tx, center.id);
		const [customer] = await db
			.select({ id: customers.id })
			.from(customers)
			.where(eq(customers.id, input.customerId));
		if (!customer) throw badRequest('customerId: no such customer', 'customerId');
		if (input.contactId) {
			const [contact] = await db
				.select({ customerId: contacts.customerId })
				.from(contacts)
				.where(eq(contacts.id, input.contactId));
			if (contact?.customerId !== input.customerId)
				throw badRequest('contactId: not a contact of this customer', 'contactId');
		}
		let contract: { id: string; serviceLevel: 'basic' | 'standard' | 'premium' } | undefined;
		if (input.machineId) {
			const [machine] = await db
				.select({ customerId: machines.customerId })
				.from(machines)
				.where(eq(machines.id, input.machineId));
			if (machine?.customerId !== input.customerId)
				throw badRequest('machineId: not a machine of this customer', 'machineId');
			contract = await activeContractOf(db, input.machineId);
		}
		if (input.categoryId) {
			const [category] = await db
				.select({ serviceCenterId: ticketCategories.serviceCenterId, active: ticketCategories.active })
				.from(ticketCategories)
				.where(eq(ticketCategories.id, input.categoryId));
			if (category?.serviceCenterId !== center.id || !category.active) {
				throw badRequest('categoryId: not a category of this service centre', 'categoryId');
			}
		}

		const now = new Date();
		const setup = await loadSlaSetup(db, center.id);
		const target = setup ? targetFor(setup.targets, input.priority, contract?.serviceLevel) : null;
		const number = await nextTicketNumber(
			db,
			center.id,
			center.code,
			localYear(now, setup?.calendar.timeZone ?? DEFAULT_TIME_ZONE)
		);
		const assignment = await assignByRules(db, {
			serviceCenterId: center.id,
			categoryId: input.categoryId ?? null,
			priority: input.priority,
			customerId: input.customerId,
			machineId: input.machineId ?? null,
			serviceLevel: contract?.serviceLevel ?? null,
			origin: input.origin
		});
		const status: TicketStatus = assignment.ownerId ? 'assigned' : 'new';
		const slaState: TicketSlaState = openedSlaState({
			status,
			openedAt: now,
			firstResponseMinutes: target?.firstResponseMinutes ?? null,
			resolutionMinutes: target?.resolutionMinutes ?? null
		});
		const sla = setup && target ? computeTicketSla(setup, slaState) : {};
		const who = await actorIdentity(db, actor);

		const [ticket] = await db
			.insert(tickets)
			.values({
				number,
				serviceCenterId: center.id,
				customerId: input.customerId,
				contactId: input.contactId ?? null,
				machineId: input.machineId ?? null,
				contractId: contract?.id ?? null,
				serviceLevel: contract?.serviceLevel ?? null,
				origin: input.origin,
				callId: input.callId ?? null,
				title: input.title,
				description: input.description ?? null,
				priority: input.priority,
				categoryId: input.categoryId ?? null,
				status,
				ownerId: assignment.ownerId,
				groupId: assignment.groupId,
				createdById: who.id,
				openedAt: now,
				statusChangedAt: now,
				queuedAt: assignment.ownerId ? null : now,
				slaPolicyId: setup?.policyId ?? null,
				slaFirstResponseMinutes: slaState.slaFirstResponseMinutes,
				slaResolutionMinutes: slaState.slaResolutionMinutes,
				...sla,
				createdAt: now,
				updatedAt: now
			})
			.returning();
		const changes: Record<string, HistoryChange> = {
			status: { from: null, to: status },
			priority: { from: null, to: input.priority },
			...(await assignmentChanges(db, { ownerId: null, groupId: null }, assignment))
		};
		if (assignment.rule) changes.assignmentRule = { from: null, to: assignment.rule };
		await db.insert(ticketHistory).values({
			ticketId: ticket.id,
			at: now,
			kind: 'created',
			actorId: who.id,
			actorName: who.name,
			changes,
			note: null,
			version: ticket.version
		});

		if (input.callId)
			await linkTicketToCall(db, tx.raise, { callId: input.callId, ticketId: ticket.id, actor });

		const except = actor.kind === 'user' ? actor.userId : null;
		await applyNotificationRules(tx, 'ticket_opened', factsOf(ticket), { exceptUserId: except });
		if (ticket.ownerId)
			await applyNotificationRules(tx, 'ticket_assigned', factsOf(ticket), { exceptUserId: except });
		const [row] = await loadTicketRows(db, [ticket.id]);
		tx.raise({ type: 'ticket.created', ticket: row });
		// Read inside the transaction: the answer commits with the ticket (an Idempotency-Key
		// replay after a lost acknowledgement gives exactly this).
		return getTicket({ ctx: tx, input: { id: ticket.id } });
	});
}

/** The machine's active contract today, through its contract line. */
async function activeContractOf(db: DbOrTx, machineId: string) {
	const today = new Date().toISOString().slice(0, 10);
	const [row] = await db
		.select({ id: contracts.id, serviceLevel: contracts.serviceLevel })
		.from(contractLines)
		.innerJoin(contracts, eq(contracts.id, contractLines.contractId))
		.where(
			and(
				eq(contractLines.machineId, machineId),
				eq(contracts.status, 'active'),
				lte(contracts.startsOn, today),
				gte(contracts.endsOn, today)
			)
		)
		.orderBy(desc(contracts.endsOn))
		.limit(1);
	return row;
}

/** AT-2026-000123: the counter row is locked by the upsert until commit, so numbers never repeat or skip. */
async function nextTicketNumber(
	db: DbOrTx,
	serviceCenterId: string,
	code: string,
	year: number
): Promise<string> {
	const [counter] = await db
		.insert(ticketCounters)
		.values({ serviceCenterId, year, lastValue: 1 })
		.onConflictDoUpdate({
			target: [ticketCounters.serviceCenterId, ticketCounters.year],
			set: { lastValue: sql`${ticketCounters.lastValue} + 1` }
		})
		.returning({ value: ticketCounters.lastValue });
	return `${code}-${year}-${String(counter.value).padStart(6, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Queues

interface ViewScope {
	userId: string;
	centerIds: string[];
	groupIds: string[];
}

async function viewScope(
	ctx: ServiceArgs<unknown>['ctx'],
	serviceCenterId: string | undefined
): Promise<ViewScope> {
	const userId = ctx.actor.kind === 'user' ? ctx.actor.userId : '';
	const [visible, groups] = await Promise.all([
		visibleServiceCenterIds(ctx.db, ctx.actor),
		userId
			? ctx.db
					.select({ id: serviceGroupMembers.groupId, serviceCenterId: serviceGroups.serviceCenterId })
					.from(serviceGroupMembers)
					.innerJoin(serviceGroups, eq(serviceGroups.id, serviceGroupMembers.groupId))
					.where(eq(serviceGroupMembers.userId, userId))
			: []
	]);
	if (serviceCenterId && !visible.includes(serviceCenterId))
		throw forbidden('This service centre is reserved to its members');
	const centerIds = serviceCenterId ? [serviceCenterId] : visible;
	return {
		userId,
		centerIds,
		groupIds: groups.filter((g) => centerIds.includes(g.serviceCenterId)).map((g) => g.id)
	};
}

// Literal SQL (no parameters) so that the partial index of the view matches under a generic plan.
const breachedPredicate = sql.raw(
	`("tickets"."sla_first_response_breached" or "tickets"."sla_resolution_breached")`
);

/** The filter of a view, or null when the view is empty for this caller. */
function viewFilter(view: TicketView, scope: ViewScope): SQL | null {
	if (scope.centerIds.length === 0) return null;
	const centre =
		scope.centerIds.length === 1
			? eq(tickets.serviceCenterId, scope.centerIds[0])
			: inArray(tickets.serviceCenterId, scope.centerIds);
	const inGroups =
		scope.groupIds.length === 1
			? eq(tickets.groupId, scope.groupIds[0])
			: inArray(tickets.groupId, scope.groupIds);
	switch (view) {
		case 'open':
			return and(ticketIsOpen, centre)!;
		case 'mine':
			return scope.userId ? and(ticketIsOpen, eq(tickets.ownerId, scope.userId), centre)! : null;
		case 'my_groups':
			return scope.groupIds.length ? and(ticketIsOpen, inGroups, centre)! : null;
		case 'to_take':
			return scope.groupIds.length ? and(ticketIsOpen, isNull(tickets.ownerId), inGroups, centre)! : null;
		case 'to_assign':
			return and(ticketIsOpen, isNull(tickets.ownerId), isNull(tickets.groupId), centre)!;
		case 'breached':
			return and(ticketIsOpen, breachedPredicate, centre)!;
	}
}

/** A queue view, most urgent first: the next SLA deadline, then the oldest; paused tickets last. */
export async function listTickets({ ctx, input }: ServiceArgs<TicketListQuery>): Promise<TicketList> {
	authorize(ctx.actor, 'tickets:read');
	const scope = await viewScope(ctx, input.serviceCenterId);
	const where = viewFilter(input.view, scope);
	if (!where) return { items: [], page: input.page, pageSize: input.pageSize, hasMore: false };
	// A prepared statement: planning this five-table join costs more than running it.
	const rows = await selectTicketRows(ctx.db)
		.where(where)
		.orderBy(asc(tickets.slaNextDueAt), asc(tickets.openedAt), asc(tickets.id))
		.limit(input.pageSize + 1)
		.offset((input.page - 1) * input.pageSize)
		.prepare('ticket_queue')
		.execute();
	return {
		items: rows.slice(0, input.pageSize).map(toTicketRow),
		page: input.page,
		pageSize: input.pageSize,
		hasMore: rows.length > input.pageSize
	};
}

/** How many tickets each view holds, for the tabs of the queue screen. */
export async function countTickets({
	ctx,
	input
}: ServiceArgs<{ serviceCenterId?: string }>): Promise<TicketCounts> {
	authorize(ctx.actor, 'tickets:read');
	const scope = await viewScope(ctx, input.serviceCenterId);
	const counts = await Promise.all(
		ticketViews.map(async (view) => {
			const where = viewFilter(view, scope);
			if (!where) return 0;
			const [{ n }] = await ctx.db.select({ n: count() }).from(tickets).where(where);
			return n;
		})
	);
	return Object.fromEntries(ticketViews.map((v, i) => [v, counts[i]])) as TicketCounts;
}

// ---------------------------------------------------------------------------------------------
// Detail

const createdBy = alias(users, 'created_by');
const historyActor = alias(users, 'history_actor');

function reasonAllowsRoles(actor: Actor, allowedRoles: readonly string[]): boolean {
	if (actor.kind === 'system') return true;
	if (actor.kind !== 'user') return false;
	return allowedRoles.length === 0 || actor.roles.some((r) => allowedRoles.includes(r));
}

/** The ticket with its history, newest last, and the action reasons the caller may use now. */
export async function getTicket({ ctx, input }: ServiceArgs<{ id: string }>): Promise<TicketDetail> {
	authorize(ctx.actor, 'tickets:read');
	const [found] = await selectTicketRows(ctx.db).where(eq(tickets.id, input.id));
	if (!found) throw notFound('Ticket');
	await assertServiceCenterVisible(ctx, found.serviceCenterId);
	const [[extra], history, reasons] = await Promise.all([
		ctx.db
			.select({
				description: tickets.description,
				callId: tickets.callId,
				contactId: contacts.id,
				contactFirstName: contacts.firstName,
				contactLastName: contacts.lastName,
				machineId: machines.id,
				serialNumber: machines.serialNumber,
				model: machineModels.name,
				contractId: contracts.id,
				contractCode: contracts.code,
				contractServiceLevel: contracts.serviceLevel,
				createdById: createdBy.id,
				createdByName: createdBy.displayName,
				resolvedAt: tickets.resolvedAt,
				closedAt: tickets.closedAt,
				slaFirstResponseMinutes: tickets.slaFirstResponseMinutes,
				slaResolutionMinutes: tickets.slaResolutionMinutes,
				slaPauses: tickets.slaPauses
			})
			.from(tickets)
			.leftJoin(contacts, eq(contacts.id, tickets.contactId))
			.leftJoin(machines, eq(machines.id, tickets.machineId))
			.leftJoin(machineModels, eq(machineModels.id, machines.modelId))
			.leftJoin(contracts, eq(contracts.id, tickets.contractId))
			.leftJoin(createdBy, eq(createdBy.id, tickets.createdById))
			.where(eq(tickets.id, input.id)),
		ctx.db
			.select({
				entry: ticketHistory,
				actorDisplayName: historyActor.displayName,
				reasonCode: actionReasons.code,
				reasonName: actionReasons.name
			})
			.from(ticketHistory)
			.leftJoin(historyActor, eq(historyActor.id, ticketHistory.actorId))
			.leftJoin(actionReasons, eq(actionReasons.id, ticketHistory.reasonId))
			.where(eq(ticketHistory.ticketId, input.id))
			.orderBy(asc(ticketHistory.at), asc(ticketHistory.version)),
		ctx.db
			.select({
				id: actionReasons.id,
				allowedFrom: actionReasons.allowedFrom,
				allowedRoles: actionReasons.allowedRoles
			})
			.from(actionReasons)
			.where(and(eq(actionReasons.serviceCenterId, found.serviceCenterId), eq(actionReasons.active, true)))
			.orderBy(asc(actionReasons.sortOrder), asc(actionReasons.name))
	]);
	const row = toTicketRow(found);
	return {
		...row,
		description: extra.description,
		callId: extra.callId,
		contact: extra.contactId
			? { id: extra.contactId, name: `${extra.contactFirstName} ${extra.contactLastName}` }
			: null,
		machine: extra.machineId
			? { id: extra.machineId, serialNumber: extra.serialNumber!, model: extra.model! }
			: null,
		contract: extra.contractId
			? { id: extra.contractId, code: extra.contractCode!, serviceLevel: extra.contractServiceLevel! }
			: null,
		createdBy: extra.createdById ? { id: extra.createdById, displayName: extra.createdByName! } : null,
		resolvedAt: extra.resolvedAt?.toISOString() ?? null,
		closedAt: extra.closedAt?.toISOString() ?? null,
		slaFirstResponseMinutes: extra.slaFirstResponseMinutes,
		slaResolutionMinutes: extra.slaResolutionMinutes,
		slaPauses: extra.slaPauses,
		history: history.map((h): HistoryEntry => ({
			id: h.entry.id,
			at: h.entry.at.toISOString(),
			kind: h.entry.kind,
			actor: h.entry.actorId
				? { id: h.entry.actorId, displayName: h.actorDisplayName ?? h.entry.actorName }
				: null,
			actorName: h.entry.actorName,
			reason: h.entry.reasonId ? { id: h.entry.reasonId, code: h.reasonCode!, name: h.reasonName! } : null,
			changes: h.entry.changes,
			note: h.entry.note,
			public: h.entry.public,
			channel: h.entry.channel,
			version: h.entry.version
		})),
		availableReasonIds: can(ctx.actor, 'tickets:write')
			? reasons
					.filter(
						(r) =>
							(r.allowedFrom.length === 0 || r.allowedFrom.includes(found.status)) &&
							reasonAllowsRoles(ctx.actor, r.allowedRoles)
					)
					.map((r) => r.id)
			: []
	};
}

// ---------------------------------------------------------------------------------------------
// Actions

/**
 * Applies an action reason (causale) to a ticket: checks the caller's roles and the ticket's
 * status, applies the reason's effects, recomputes the SLA, writes the history row and notifies,
 * all in one transaction, and only if the ticket still has the version the caller read.
 */
export async function performAction({
	ctx,
	input
}: ServiceArgs<{ id: string; action: TicketAction }>): Promise<TicketDetail> {
	authorize(ctx.actor, 'tickets:write');
	const actor = ctx.actor;
	const { action } = input;
	await inTransaction(ctx, async (tx) => {
		const { db } = tx;
		const [ticket] = await db.select().from(tickets).where(eq(tickets.id, input.id));
		if (!ticket) throw notFound('Ticket');
		await assertServiceCenterVisible(tx, ticket.serviceCenterId);
		const [reason] = await db.select().from(actionReasons).where(eq(actionReasons.id, action.reasonId));
		if (!reason || !reason.active || reason.serviceCenterId !== ticket.serviceCenterId) {
			throw badRequest("reasonId: not an action reason of this ticket's service centre", 'reasonId');
		}
		if (!reasonAllowsRoles(actor, reason.allowedRoles))
			throw forbidden(`Your role may not use the action "${reason.name}"`);
		// A version from the future was never read by anyone: stale, like one from the past.
		const stale =
			action.version > ticket.version ||
			(action.version < ticket.version && !(await onlySlaChangesSince(db, ticket.id, action.version)));
		if (stale) {
			throw await staleVersion(db, ticket, reason.effects.assign === 'take');
		}
		if (reason.allowedFrom.length > 0 && !reason.allowedFrom.includes(ticket.status)) {
			throw badRequest(
				`reasonId: "${reason.name}" cannot be used while the ticket is ${ticket.status}`,
				'reasonId'
			);
		}
		const effects = reason.effects;
		if (effects.note === 'required' && !action.note)
			throw badRequest(`note: "${reason.name}" needs a note`, 'note', { issue: 'required' });
		if (action.includeHistory !== undefined && !effects.message)
			throw badRequest(`includeHistory: "${reason.name}" does not send an e-mail`, 'includeHistory');
		// Composed before anything is written: a missing text or address is a 400 that changes nothing.
		const message = effects.message
			? await draftActionEmail(db, {
					ticket,
					reasonName: reason.name,
					effect: effects.message,
					note: action.note,
					includeHistory: action.includeHistory
				})
			: null;
		// An e-mail to the customer is public whatever the reason says.
		const isPublic = reason.public || message !== null;
		if ((action.ownerId !== undefined || action.groupId !== undefined) && effects.assign !== 'choose') {
			throw badRequest(
				`ownerId: "${reason.name}" does not change the owner or the group`,
				action.ownerId !== undefined ? 'ownerId' : 'groupId'
			);
		}

		const now = new Date();
		const userId = actor.kind === 'user' ? actor.userId : null;
		let ownerId = ticket.ownerId;
		let groupId = ticket.groupId;
		let rule: { id: string; name: string } | null = null;
		switch (effects.assign) {
			case 'take':
				if (!userId) throw badRequest('Only an operator can take a ticket');
				if (ticket.ownerId && ticket.ownerId !== userId) {
					const owner = await nameOfUser(db, ticket.ownerId);
					throw conflict(
						`Ticket ${ticket.number} is already taken by ${owner?.name ?? 'someone else'}`,
						'ownerId'
					);
				}
				ownerId = userId;
				break;
			case 'choose': {
				if (action.ownerId === undefined && action.groupId === undefined) {
					throw badRequest(`ownerId: "${reason.name}" needs ownerId or groupId`, 'ownerId', {
						issue: 'required'
					});
				}
				if (action.groupId !== undefined) {
					if (action.groupId !== null) await assertGroupOfCentre(db, action.groupId, ticket.serviceCenterId);
					groupId = action.groupId;
					// Forwarding to another group hands the ticket to that group's queue.
					if (action.ownerId === undefined && groupId !== ticket.groupId) ownerId = null;
				}
				if (action.ownerId !== undefined) {
					if (action.ownerId !== null && action.ownerId !== userId) authorize(actor, 'tickets:assign');
					if (action.ownerId !== null) await assertOperator(db, action.ownerId, action.groupId ?? null);
					ownerId = action.ownerId;
				}
				break;
			}
			case 'release':
				ownerId = null;
				break;
			case 'requeue': {
				const assignment = await assignByRules(db, {
					serviceCenterId: ticket.serviceCenterId,
					categoryId: ticket.categoryId,
					priority: ticket.priority,
					customerId: ticket.customerId,
					machineId: ticket.machineId,
					serviceLevel: ticket.serviceLevel,
					origin: ticket.origin
				});
				({ ownerId, groupId, rule } = assignment);
				break;
			}
		}

		let status = ticket.status;
		if (effects.setStatus) status = effects.setStatus;
		else if (ownerId && !ticket.ownerId && status === 'new') status = 'assigned';
		else if (!ownerId && ticket.ownerId && (status === 'assigned' || status === 'in_progress'))
			status = 'new';

		const set: TicketChangeSet = { ownerId, groupId, status };
		const changes: Record<string, HistoryChange> = await assignmentChanges(db, ticket, { ownerId, groupId });
		if (rule) changes.assignmentRule = { from: null, to: rule };
		if (status !== ticket.status) {
			changes.status = { from: ticket.status, to: status };
			set.statusChangedAt = now;
			if (status === 'resolved' && !ticket.resolvedAt) set.resolvedAt = now;
			if (status === 'closed') set.closedAt = now;
			if (!isDone(status)) Object.assign(set, { resolvedAt: null, closedAt: null });
		}
		if (
			ownerId === null &&
			(ticket.ownerId !== null || ticket.queuedAt === null || effects.assign === 'requeue')
		)
			set.queuedAt = now;
		if (ownerId !== null) set.queuedAt = null;
		if (effects.scheduleAppointment) changes.appointment = { from: null, to: 'to_schedule' };
		if (message) changes.message = messageChange(message);

		// The first public action of an operator is the first response.
		const slaState = { ...slaStateOf(ticket), status };
		if (isPublic && userId && !ticket.slaFirstRespondedAt) {
			set.slaFirstRespondedAt = slaState.slaFirstRespondedAt = now;
			changes.firstResponse = { from: null, to: now.toISOString() };
			if (ticket.slaFirstResponseDueAt && now > ticket.slaFirstResponseDueAt)
				set.slaFirstResponseBreached = slaState.slaFirstResponseBreached = true;
		}
		if (
			isDone(status) &&
			!isDone(ticket.status) &&
			ticket.slaResolutionDueAt &&
			now > ticket.slaResolutionDueAt
		) {
			set.slaResolutionBreached = slaState.slaResolutionBreached = true;
		}
		const setup =
			ticket.slaResolutionMinutes !== null || ticket.slaFirstResponseMinutes !== null
				? await loadSlaSetup(db, ticket.serviceCenterId)
				: null;
		if (setup) {
			const wasStopped = clockStopped(setup.pauseStatuses, ticket.status);
			const isStopped = clockStopped(setup.pauseStatuses, status);
			set.slaPauses = slaState.slaPauses = updatePauses(ticket.slaPauses, wasStopped, isStopped, now);
			// The deadlines promised when the ticket opened stay put (the calendar or policy may have
			// changed since): they move only when the clock stops or runs again.
			Object.assign(
				set,
				wasStopped === isStopped
					? pendingInstants(setup.pauseStatuses, slaState)
					: computeTicketSla(setup, slaState)
			);
		}

		const who = await actorIdentity(db, actor);
		const saved = await saveTicketChange(tx, {
			ticket,
			expectVersion: ticket.version,
			set,
			now,
			history: {
				kind: 'action',
				actorId: who.id,
				actorName: who.name,
				reasonId: reason.id,
				changes,
				note: action.note ?? null,
				public: isPublic,
				channel: message ? 'email' : (action.channel ?? reason.defaultChannel)
			}
		});
		if (!saved) throw await staleVersion(db, ticket, effects.assign === 'take');
		if (message) {
			await queueMessage(tx, {
				draft: message,
				ticket,
				historyId: saved.historyId,
				createdById: who.id,
				createdByName: who.name,
				now
			});
		}

		const facts = factsOf(saved.ticket);
		if (effects.notify?.length) {
			const recipients = (await resolveRecipients(db, effects.notify, facts)).filter((id) => id !== userId);
			await sendNotifications(tx, recipients, {
				kind: 'action_notice',
				ticketId: ticket.id,
				serviceCenterId: ticket.serviceCenterId,
				data: {
					number: ticket.number,
					title: ticket.title,
					reasonName: reason.name,
					actorName: who.name,
					note: action.note
				}
			});
		}
		if (saved.ticket.ownerId && saved.ticket.ownerId !== ticket.ownerId) {
			await applyNotificationRules(tx, 'ticket_assigned', facts, {
				exceptUserId: userId,
				data: { actorName: who.name }
			});
		}
		if (status === 'closed' && ticket.status !== 'closed') {
			await applyNotificationRules(tx, 'ticket_closed', facts, {
				exceptUserId: userId,
				data: { actorName: who.name }
			});
		}
	});
	return getTicket({ ctx, input: { id: input.id } });
}

/**
 * A warning or breach marked by the deadline job bumps the version but changes nothing an
 * operator decided on: an action based on the version before it is not stale.
 */
async function onlySlaChangesSince(db: DbOrTx, ticketId: string, version: number): Promise<boolean> {
	const [{ n }] = await db
		.select({ n: count() })
		.from(ticketHistory)
		.where(
			and(
				eq(ticketHistory.ticketId, ticketId),
				sql`${ticketHistory.version} > ${version}`,
				sql`${ticketHistory.kind} <> 'sla'`
			)
		);
	return n === 0;
}

/** 409 naming what happened: a lost race for the same ticket says who won. */
async function staleVersion(db: DbOrTx, ticket: Ticket, taking: boolean) {
	const [now] = await db
		.select({ version: tickets.version, ownerId: tickets.ownerId })
		.from(tickets)
		.where(eq(tickets.id, ticket.id));
	if (taking && now?.ownerId) {
		const owner = await nameOfUser(db, now.ownerId);
		return conflict(`Ticket ${ticket.number} was just taken by ${owner?.name ?? 'someone else'}`, 'version');
	}
	return conflict(
		`Ticket ${ticket.number} was changed by someone else (now version ${now?.version}): reload and retry`,
		'version'
	);
}

async function assertGroupOfCentre(db: DbOrTx, groupId: string, serviceCenterId: string) {
	const [group] = await db
		.select({ serviceCenterId: serviceGroups.serviceCenterId })
		.from(serviceGroups)
		.where(eq(serviceGroups.id, groupId));
	if (group?.serviceCenterId !== serviceCenterId)
		throw badRequest("groupId: not a group of this ticket's service centre", 'groupId', {
			issue: 'invalid_value'
		});
}

async function assertOperator(db: DbOrTx, userId: string, groupId: string | null) {
	const [user] = await db
		.select({ disabled: users.disabled, roles: users.roles })
		.from(users)
		.where(eq(users.id, userId));
	if (!user || user.disabled || !user.roles.some((r) => r !== 'technician'))
		throw badRequest('ownerId: not an active operator', 'ownerId', { issue: 'invalid_value' });
	if (groupId) {
		const [member] = await db
			.select({ userId: serviceGroupMembers.userId })
			.from(serviceGroupMembers)
			.where(and(eq(serviceGroupMembers.groupId, groupId), eq(serviceGroupMembers.userId, userId)));
		if (!member)
			throw badRequest('ownerId: not a member of the group', 'ownerId', { issue: 'invalid_value' });
	}
}
