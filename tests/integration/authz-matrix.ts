import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import type { Role } from '../../db/schema/identity';
import { permissions, type Permission } from '../../server/auth/policy';
import type { TicketDetail } from '../../server/tickets/tickets.schemas';
import type { TestClient, TestServer } from '../support/test-server';
import { actOk, createDesk, dbOf, openTicket, type Desk } from './tickets-fixtures';

/*
 * The authorisation matrix: every operation of the OpenAPI document, the answer each principal
 * gets, and object-level probes (someone else's record). The expected answer of a cell follows
 * from the operation's access rule and the one permission table (server/auth/policy.ts):
 * anonymous 401, a role without the permission 403, a role with it `allowed` (a precise status
 * where the case gives one). A new operation needs a row here: the test says so.
 *
 * Requests are valid (bodies, queries, ids of real rows) because the API validates input
 * before it authorises: an invalid request would be refused with 400 before the matrix's
 * question is asked. Writes that would change what other cells see use stale versions
 * (409) or rows of their own.
 */

// ---------------------------------------------------------------------------------------------
// Principals: the columns. A new kind of caller (a kiosk token) is one more entry here.

export type Credential = 'none' | 'session' | 'cti-token';

export interface Principal {
	name: string;
	credential: Credential;
	/** The roles of a session principal. */
	roles?: Role[];
}

export const principals = [
	{ name: 'anonymous', credential: 'none' },
	{ name: 'pbx', credential: 'cti-token' },
	{ name: 'agent', credential: 'session', roles: ['agent'] },
	{ name: 'technician', credential: 'session', roles: ['technician'] },
	{ name: 'dispatcher', credential: 'session', roles: ['dispatcher'] },
	{ name: 'supervisor', credential: 'session', roles: ['supervisor'] },
	{ name: 'admin', credential: 'session', roles: ['admin'] }
] as const satisfies readonly Principal[];

export type PrincipalName = (typeof principals)[number]['name'];

/** Who an operation is for. */
export type Access =
	| { public: true }
	| { signedIn: true }
	| { permission: Permission }
	/** The PBX event API: `Authorization: Bearer <CTI_TOKEN>`, never a session. */
	| { ctiToken: true };

/** A precise status, or `allowed`: anything but 401, 403 and 5xx (e.g. a 404 for a random id). */
export type Expected = number | 'allowed';

// ---------------------------------------------------------------------------------------------
// Fixtures: the rows the requests name, created once per file.

/** Extra signed-in users the object-level probes act as. */
export type ActorName = PrincipalName | 'reservedMember' | 'otherAgent';

export interface Fixtures {
	server: TestServer;
	ctiToken: string;
	/** Session clients of the session principals and of the extra actors. */
	clients: Record<Exclude<ActorName, 'anonymous' | 'pbx'>, TestClient>;
	/** An open centre every ticket worker sees. */
	openDesk: Desk;
	/** A reserved centre: only `reservedMember` (and administrators) see it. */
	reservedDesk: Desk;
	/** A centre with exactly one assignment rule, for the reorder request. */
	orderDesk: Desk;
	/** In the open centre; its version is past 1, so version 1 is stale (409). */
	openTicket: TicketDetail;
	reservedTicket: TicketDetail;
	calendarId: string;
	/** A calendar nobody uses, for DELETE. */
	spareCalendarId: string;
	assignmentRuleId: string;
	orderRuleId: string;
	automaticRuleId: string;
	notificationRuleId: string;
	/** Groups of the open centre without tickets or rules: one to delete, one to rename and refill. */
	spareGroupId: string;
	editGroupId: string;
	/** A user the administrator edits (stale version). */
	editUserId: string;
	login: { username: string; password: string };
	calls: {
		/** Answered by `agent`. */
		agents: string;
		/** Answered by `otherAgent`. */
		otherAgents: string;
		/** Nobody answered: everyone with calls:read sees it. */
		missed: string;
	};
}

export interface ProbeRequest {
	params?: Record<string, string>;
	query?: Record<string, string>;
	body?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Bodies shared by the matrix and the fixtures

const tag = () => randomBytes(3).toString('hex').toUpperCase();
const weekHours = (hours: Array<{ start: string; end: string }>) => ({
	1: hours,
	2: hours,
	3: hours,
	4: hours,
	5: hours,
	6: [],
	7: []
});
export const calendarBody = () => ({
	name: `Probe ${tag()}`,
	config: { timeZone: 'Europe/Rome', weekHours: weekHours([{ start: '09:00', end: '18:00' }]) }
});
export const assignmentRuleBody = () => ({ name: `Probe ${tag()}`, target: 'manual' });
export const automaticRuleBody = () => ({
	name: `Probe ${tag()}`,
	trigger: 'unassigned',
	afterMinutes: 60,
	action: 'notify',
	recipients: ['supervisors']
});
export const notificationRuleBody = () => ({
	name: `Probe ${tag()}`,
	event: 'ticket_opened',
	recipients: ['owner']
});
export const ctiEventBody = (extra: Record<string, unknown> = {}) => ({
	eventId: randomUUID(),
	callId: randomUUID(),
	type: 'offered',
	at: new Date().toISOString(),
	from: '+390212345678',
	to: '800123456',
	...extra
});

// ---------------------------------------------------------------------------------------------
// The matrix

export interface OperationCase {
	access: Access;
	request?: (f: Fixtures) => ProbeRequest;
	/** What a principal that may use the operation gets; `allowed` when not given. */
	allowed?: Expected;
	/** Cells that differ from what the access rule says, each with its reason in a comment. */
	except?: Partial<Record<PrincipalName, Expected>>;
	/** The request ends the caller's session: each session principal uses a second one. */
	endsSession?: true;
	/** Ask the principals one after the other instead of all at once. */
	serial?: true;
}

const center = (f: Fixtures, desk: Desk = f.openDesk) => ({ centerId: desk.centerId });

export const matrix: Record<string, OperationCase> = {
	'GET /api/health': { access: { public: true }, allowed: 200 },
	'POST /api/auth/login': {
		access: { public: true },
		request: (f) => ({ body: f.login }),
		allowed: 200,
		// Each attempt reserves a failure until its password is checked (the brute-force guard):
		// seven at once for one user would be refused with 429.
		serial: true
	},
	'POST /api/auth/logout': { access: { signedIn: true }, allowed: 204, endsSession: true },
	// Who is signed in, if anyone: the sign-in page asks without a session.
	'GET /api/auth/session': { access: { public: true }, allowed: 200 },
	'GET /api/me': { access: { signedIn: true }, allowed: 200 },
	'PATCH /api/me/preferences': {
		access: { signedIn: true },
		request: () => ({ body: { locale: 'it' } }),
		allowed: 200
	},
	'GET /api/search': {
		access: { permission: 'search:use' },
		request: () => ({ query: { q: 'Officine' } }),
		allowed: 200
	},

	// Customers
	'GET /api/customers': { access: { permission: 'customers:read' }, allowed: 200 },
	'GET /api/customers/{id}': {
		access: { permission: 'customers:read' },
		request: (f) => ({ params: { id: f.openDesk.customerId } }),
		allowed: 200
	},
	'PATCH /api/customers/{id}': {
		access: { permission: 'customers:write' },
		request: (f) => ({ params: { id: f.openDesk.customerId }, body: { version: 999, notes: 'probe' } }),
		allowed: 409
	},

	// Users
	'GET /api/admin/users': { access: { permission: 'users:manage' }, allowed: 200 },
	'POST /api/admin/users': {
		access: { permission: 'users:manage' },
		request: () => ({
			body: {
				username: `probe-${tag().toLowerCase()}`,
				displayName: 'Probe',
				password: 'probe-password',
				roles: ['agent']
			}
		}),
		allowed: 201
	},
	'PATCH /api/admin/users/{id}': {
		access: { permission: 'users:manage' },
		request: (f) => ({ params: { id: f.editUserId }, body: { version: 999, displayName: 'Probe' } }),
		allowed: 409
	},
	'GET /api/admin/users/{id}': {
		access: { permission: 'users:manage' },
		request: (f) => ({ params: { id: f.editUserId } }),
		allowed: 200
	},
	'GET /api/admin/users/{id}/audit': {
		access: { permission: 'users:manage' },
		request: (f) => ({ params: { id: f.editUserId } }),
		allowed: 200
	},
	'GET /api/admin/teams': { access: { permission: 'users:manage' }, allowed: 200 },
	'GET /api/presence': { access: { permission: 'presence:watch' }, allowed: 200 },

	// Tickets
	'POST /api/tickets': {
		access: { permission: 'tickets:write' },
		request: (f) => ({
			body: {
				serviceCenterId: f.openDesk.centerId,
				customerId: f.openDesk.customerId,
				origin: 'phone',
				title: 'Probe ticket'
			}
		}),
		allowed: 201
	},
	'GET /api/tickets': { access: { permission: 'tickets:read' }, allowed: 200 },
	'GET /api/tickets/counts': { access: { permission: 'tickets:read' }, allowed: 200 },
	'GET /api/tickets/{id}': {
		access: { permission: 'tickets:read' },
		request: (f) => ({ params: { id: f.openTicket.id } }),
		allowed: 200
	},
	'POST /api/tickets/{id}/actions': {
		access: { permission: 'tickets:write' },
		request: (f) => ({
			params: { id: f.openTicket.id },
			body: { reasonId: f.openDesk.reasons.NOTA, version: 1, note: 'probe' }
		}),
		allowed: 409
	},
	'GET /api/tickets/{id}/messages': {
		access: { permission: 'tickets:read' },
		request: (f) => ({ params: { id: f.openTicket.id } }),
		allowed: 200
	},
	'GET /api/service-centers': { access: { permission: 'tickets:read' }, allowed: 200 },
	'POST /api/sla/preview': {
		access: { permission: 'sla:preview' },
		request: (f) => ({
			body: { serviceCenterId: f.openDesk.centerId, priority: 'normal', openedAt: '2026-03-02T09:15:00Z' }
		}),
		allowed: 200
	},

	// Support desk configuration
	'GET /api/desk-config/centers': { access: { permission: 'desk_config:read' }, allowed: 200 },
	'GET /api/desk-config/centers/{centerId}': {
		access: { permission: 'desk_config:read' },
		request: (f) => ({ params: center(f) }),
		allowed: 200
	},
	'POST /api/desk-config/centers': {
		access: { permission: 'desk_config:write' },
		request: () => ({ body: { code: `P${tag()}`, name: 'Probe' } }),
		allowed: 201
	},
	'PATCH /api/desk-config/centers/{centerId}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f), body: { version: 999, name: 'Probe' } }),
		allowed: 409
	},
	'GET /api/desk-config/centers/{centerId}/audit': {
		access: { permission: 'desk_config:read' },
		request: (f) => ({ params: center(f) }),
		allowed: 200
	},
	'GET /api/desk-config/groups': { access: { permission: 'desk_config:read' }, allowed: 200 },
	'GET /api/desk-config/calendars': { access: { permission: 'desk_config:read' }, allowed: 200 },
	'GET /api/desk-config/holiday-regions': { access: { permission: 'desk_config:read' }, allowed: 200 },
	'POST /api/desk-config/calendars': {
		access: { permission: 'desk_config:write' },
		request: () => ({ body: calendarBody() }),
		allowed: 201
	},
	'PUT /api/desk-config/calendars/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { id: f.calendarId }, body: { ...calendarBody(), version: 999 } }),
		allowed: 409
	},
	'DELETE /api/desk-config/calendars/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { id: f.spareCalendarId } }),
		allowed: 204
	},
	'PUT /api/desk-config/centers/{centerId}/sla-policy': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({
			params: center(f),
			body: { version: 999, calendarId: f.calendarId, warningShare: 0.75, pauseStatuses: [], targets: [] }
		}),
		allowed: 409
	},
	'POST /api/desk-config/centers/{centerId}/categories': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f), body: { code: `P${tag()}`, name: 'Probe' } }),
		allowed: 201
	},
	'PUT /api/desk-config/centers/{centerId}/categories/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({
			params: { ...center(f), id: f.openDesk.categories.info },
			body: { code: 'INFO', name: 'Informazioni' }
		}),
		allowed: 200
	},
	'POST /api/desk-config/centers/{centerId}/action-reasons': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f), body: { code: `P${tag()}`, name: 'Probe' } }),
		allowed: 201
	},
	'PUT /api/desk-config/centers/{centerId}/action-reasons/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({
			params: { ...center(f), id: f.openDesk.reasons.NOTA },
			body: { code: 'NOTA', name: 'Nota interna', effects: { note: 'required' }, version: 999 }
		}),
		allowed: 409
	},
	'POST /api/desk-config/centers/{centerId}/assignment-rules': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f), body: assignmentRuleBody() }),
		allowed: 201
	},
	'PUT /api/desk-config/centers/{centerId}/assignment-rules/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { ...center(f), id: f.assignmentRuleId }, body: assignmentRuleBody() }),
		allowed: 200
	},
	'PUT /api/desk-config/centers/{centerId}/assignment-rules-order': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f, f.orderDesk), body: { ids: [f.orderRuleId] } }),
		allowed: 200
	},
	'POST /api/desk-config/centers/{centerId}/automatic-rules': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f), body: automaticRuleBody() }),
		allowed: 201
	},
	'PUT /api/desk-config/centers/{centerId}/automatic-rules/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { ...center(f), id: f.automaticRuleId }, body: automaticRuleBody() }),
		allowed: 200
	},
	'POST /api/desk-config/centers/{centerId}/notification-rules': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f), body: notificationRuleBody() }),
		allowed: 201
	},
	'PUT /api/desk-config/centers/{centerId}/notification-rules/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { ...center(f), id: f.notificationRuleId }, body: notificationRuleBody() }),
		allowed: 200
	},
	'POST /api/desk-config/centers/{centerId}/groups': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: center(f), body: { name: `Probe ${tag()}` } }),
		allowed: 201
	},
	'PUT /api/desk-config/centers/{centerId}/groups/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { ...center(f), id: f.editGroupId }, body: { name: `Probe ${tag()}` } }),
		allowed: 200
	},
	'DELETE /api/desk-config/centers/{centerId}/groups/{id}': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { ...center(f), id: f.spareGroupId } }),
		allowed: 204
	},
	'PUT /api/desk-config/centers/{centerId}/groups/{id}/members': {
		access: { permission: 'desk_config:write' },
		request: (f) => ({ params: { ...center(f), id: f.editGroupId }, body: { userIds: [] } }),
		allowed: 200
	},

	// Notifications
	'GET /api/notifications': { access: { permission: 'notifications:read' }, allowed: 200 },
	'POST /api/notifications/read': {
		access: { permission: 'notifications:read' },
		request: () => ({ body: { all: true } }),
		allowed: 200
	},

	// Callers
	'GET /api/callers/lookup': {
		access: { permission: 'callers:lookup' },
		request: () => ({ query: { number: '0212345678' } }),
		allowed: 200
	},
	'GET /api/callers/card': {
		access: { permission: 'customers:read' },
		request: (f) => ({ query: { customerId: f.openDesk.customerId } }),
		allowed: 200
	},
	'GET /api/callers/suggestions': {
		access: { permission: 'callers:lookup' },
		request: () => ({ query: { name: 'Officine' } }),
		allowed: 200
	},
	'POST /api/callers': {
		access: { permission: 'customers:write' },
		request: () => ({ body: { kind: 'prospect', lastName: 'Probe', phone: '+39 02 9876 5432' } }),
		allowed: 201
	},
	'GET /api/callers/screen-pop': {
		access: { permission: 'callers:lookup' },
		request: () => ({ query: { number: '0212345678' } }),
		allowed: 200
	},

	// Calls and agent states
	'GET /api/calls': { access: { permission: 'calls:read' }, allowed: 200 },
	'GET /api/calls/{id}': {
		access: { permission: 'calls:read' },
		request: (f) => ({ params: { id: f.calls.missed } }),
		allowed: 200
	},
	'PATCH /api/calls/{id}': {
		access: { permission: 'calls:report' },
		// The agent's own call; a supervisor may write anyone's wrap-up. Stale: nothing changes.
		request: (f) => ({ params: { id: f.calls.agents }, body: { version: 999, disposition: 'resolved' } }),
		allowed: 409
	},
	'POST /api/calls/{id}/handled': {
		access: { permission: 'calls:read' },
		// An answered call is not "missed": 409, and nothing changes.
		request: (f) => ({ params: { id: f.calls.agents } }),
		allowed: 409
	},
	'GET /api/agent-states': { access: { permission: 'agent_states:watch' }, allowed: 200 },
	'GET /api/agent-states/me': { access: { permission: 'calls:report' }, allowed: 200 },
	'POST /api/cti/events': {
		access: { ctiToken: true },
		request: () => ({ body: ctiEventBody() }),
		allowed: 202
	},
	'GET /api/softphone/config': { access: { permission: 'softphone:use' }, allowed: 200 },
	// The matrix's console has a PBX (SIP_WS_URL): the demo switchboard does not exist there.
	'POST /api/demo/calls': {
		access: { permission: 'demo:call_self' },
		request: () => ({ body: {} }),
		allowed: 404
	},
	'GET /api/demo/status': { access: { permission: 'demo:call_any' }, allowed: 404 },
	'PUT /api/demo/call-stream': {
		access: { permission: 'demo:call_any' },
		request: () => ({ body: { everySeconds: null } }),
		allowed: 404
	}
};

/** The answer the matrix expects from a principal. */
export function expectedAnswer(operation: OperationCase, principal: Principal): Expected {
	const name = principal.name as PrincipalName;
	if (operation.except?.[name] !== undefined) return operation.except[name];
	const allowed = operation.allowed ?? 'allowed';
	const access = operation.access;
	if ('public' in access) return allowed;
	if ('ctiToken' in access) return principal.credential === 'cti-token' ? allowed : 401;
	if (principal.credential !== 'session') return 401;
	if ('signedIn' in access) return allowed;
	const granted: readonly Role[] = permissions[access.permission];
	return principal.roles?.some((r) => granted.includes(r)) ? allowed : 403;
}

// ---------------------------------------------------------------------------------------------
// Object-level probes: a role that may use the operation, on a record that is not its own.

export interface ObjectProbe {
	name: string;
	operation: string;
	as: ActorName;
	request: (f: Fixtures) => ProbeRequest;
	status: number;
	/** Ids the answer must not mention: a list or a card that leaks what the caller may not see. */
	hides?: (f: Fixtures) => string[];
}

const reservedTicket = (f: Fixtures) => ({ params: { id: f.reservedTicket.id } });

export const objectProbes: ObjectProbe[] = [
	// Another service centre's reserved ticket
	...(['agent', 'dispatcher', 'supervisor'] as const).map((as): ObjectProbe => ({
		name: `${as} outside a reserved centre reads its ticket`,
		operation: 'GET /api/tickets/{id}',
		as,
		request: reservedTicket,
		status: 403
	})),
	{
		name: 'a member of the reserved centre reads its ticket',
		operation: 'GET /api/tickets/{id}',
		as: 'reservedMember',
		request: reservedTicket,
		status: 200
	},
	{
		name: 'an administrator reads a reserved ticket',
		operation: 'GET /api/tickets/{id}',
		as: 'admin',
		request: reservedTicket,
		status: 200
	},
	{
		name: 'agent acts on a reserved ticket',
		operation: 'POST /api/tickets/{id}/actions',
		as: 'agent',
		request: (f) => ({
			...reservedTicket(f),
			body: { reasonId: f.reservedDesk.reasons.NOTA, version: 1, note: 'probe' }
		}),
		status: 403
	},
	{
		name: "agent lists a reserved ticket's e-mails",
		operation: 'GET /api/tickets/{id}/messages',
		as: 'agent',
		request: reservedTicket,
		status: 403
	},
	{
		name: "agent lists a reserved centre's queue",
		operation: 'GET /api/tickets',
		as: 'agent',
		request: (f) => ({ query: { serviceCenterId: f.reservedDesk.centerId } }),
		status: 403
	},
	{
		name: "agent counts a reserved centre's queue",
		operation: 'GET /api/tickets/counts',
		as: 'agent',
		request: (f) => ({ query: { serviceCenterId: f.reservedDesk.centerId } }),
		status: 403
	},
	{
		name: 'agent opens a ticket in a reserved centre',
		operation: 'POST /api/tickets',
		as: 'agent',
		request: (f) => ({
			body: {
				serviceCenterId: f.reservedDesk.centerId,
				customerId: f.reservedDesk.customerId,
				origin: 'phone',
				title: 'Probe ticket'
			}
		}),
		status: 403
	},
	{
		name: 'supervisor outside a reserved centre reads its desk configuration',
		operation: 'GET /api/desk-config/centers/{centerId}',
		as: 'supervisor',
		request: (f) => ({ params: { centerId: f.reservedDesk.centerId } }),
		status: 403
	},
	{
		name: 'supervisor outside a reserved centre previews its SLA',
		operation: 'POST /api/sla/preview',
		as: 'supervisor',
		request: (f) => ({
			body: {
				serviceCenterId: f.reservedDesk.centerId,
				priority: 'normal',
				openedAt: '2026-03-02T09:15:00Z'
			}
		}),
		status: 403
	},
	{
		name: 'agent uses an action reason reserved to dispatchers and supervisors',
		operation: 'POST /api/tickets/{id}/actions',
		as: 'agent',
		request: (f) => ({
			params: { id: f.openTicket.id },
			body: { reasonId: f.openDesk.reasons.ASSEGNA, version: 1 }
		}),
		status: 403
	},

	// Another agent's call
	{
		name: "agent reads another agent's call",
		operation: 'GET /api/calls/{id}',
		as: 'agent',
		request: (f) => ({ params: { id: f.calls.otherAgents } }),
		status: 403
	},
	{
		name: "agent writes the wrap-up of another agent's call",
		operation: 'PATCH /api/calls/{id}',
		as: 'agent',
		request: (f) => ({
			params: { id: f.calls.otherAgents },
			body: { version: 1, disposition: 'resolved' }
		}),
		status: 403
	},
	{
		name: 'the agent of a call reads it',
		operation: 'GET /api/calls/{id}',
		as: 'otherAgent',
		request: (f) => ({ params: { id: f.calls.otherAgents } }),
		status: 200
	},
	{
		name: "agent lists everyone's calls",
		operation: 'GET /api/calls',
		as: 'agent',
		request: () => ({ query: { view: 'all' } }),
		status: 403
	},

	// Lists and cards leave out what the caller may not open
	{
		name: "agent's queue leaves out a reserved centre's ticket",
		operation: 'GET /api/tickets',
		as: 'agent',
		request: () => ({ query: { view: 'open', pageSize: '200' } }),
		status: 200,
		hides: (f) => [f.reservedTicket.id]
	},
	{
		name: "agent's service centres leave out a reserved one",
		operation: 'GET /api/service-centers',
		as: 'agent',
		request: () => ({}),
		status: 200,
		hides: (f) => [f.reservedDesk.centerId]
	},
	{
		name: "supervisor's desk configuration list leaves out a reserved centre",
		operation: 'GET /api/desk-config/centers',
		as: 'supervisor',
		request: () => ({}),
		status: 200,
		hides: (f) => [f.reservedDesk.centerId]
	},
	{
		name: "supervisor reads a reserved centre's audit trail",
		operation: 'GET /api/desk-config/centers/{centerId}/audit',
		as: 'supervisor',
		request: (f) => ({ params: center(f, f.reservedDesk) }),
		status: 403
	},
	{
		name: "supervisor's list of groups leaves out a reserved centre's",
		operation: 'GET /api/desk-config/groups',
		as: 'supervisor',
		request: () => ({}),
		status: 200,
		hides: (f) => [f.reservedDesk.groupA, f.reservedDesk.groupB]
	},
	{
		name: "the caller card leaves out a reserved centre's open ticket",
		operation: 'GET /api/callers/card',
		as: 'agent',
		request: (f) => ({ query: { customerId: f.reservedDesk.customerId } }),
		status: 200,
		hides: (f) => [f.reservedTicket.id]
	},
	{
		name: "agent's own calls leave out another agent's",
		operation: 'GET /api/calls',
		as: 'agent',
		request: () => ({ query: { view: 'mine' } }),
		status: 200,
		hides: (f) => [f.calls.otherAgents]
	},
	{
		name: 'an agent without a SIP extension asks for SIP credentials',
		operation: 'GET /api/softphone/config',
		as: 'reservedMember',
		request: () => ({}),
		status: 403
	},
	{
		name: "an agent asks for a demo call to another agent's extension",
		operation: 'POST /api/demo/calls',
		as: 'agent',
		request: () => ({ body: { to: '7102' } }),
		status: 403
	}
	// Later: another technician's appointment (the technician app), the kiosk's own centre only.
];

// ---------------------------------------------------------------------------------------------
// Building the fixtures

async function post(client: TestClient, path: string, body: unknown, method = 'POST') {
	const res = await client.fetch(path, { method, json: body });
	const payload = (await res.json()) as { id: string };
	if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(payload)}`);
	return payload;
}

export async function buildFixtures(server: TestServer, ctiToken: string): Promise<Fixtures> {
	const db = dbOf(server);
	const [agent, technician, dispatcher, supervisor, admin, reservedMember, otherAgent, loginUser] =
		await Promise.all(
			(
				[
					['agent'],
					['technician'],
					['dispatcher'],
					['supervisor'],
					['admin'],
					['agent'],
					['agent'],
					['agent']
				] as Role[][]
			).map((roles) => server.userWithRoles(roles))
		);
	// The softphone answers with credentials only to a user with a SIP extension.
	for (const [client, extension] of [
		[agent, '7101'],
		[supervisor, '7102']
	] as const) {
		await db
			.update(users)
			.set({ sipExtension: extension, sipPassword: 'sip-secret' })
			.where(eq(users.id, client.userId));
	}

	const [openDesk, reservedDesk, orderDesk] = await Promise.all([
		createDesk(server),
		createDesk(server, { access: 'reserved', groupA: [reservedMember] }),
		createDesk(server)
	]);
	const opened = await openTicket(admin, openDesk);
	const openTicketNow = await actOk(admin, opened, openDesk.reasons.NOTA, { note: 'version 2' });
	const reservedTicketNow = await openTicket(admin, reservedDesk);

	const calendar = await post(admin, '/api/desk-config/calendars', calendarBody());
	const spareCalendar = await post(admin, '/api/desk-config/calendars', calendarBody());
	const centerPath = (desk: Desk) => `/api/desk-config/centers/${desk.centerId}`;
	const assignmentRule = await post(admin, `${centerPath(openDesk)}/assignment-rules`, assignmentRuleBody());
	const orderRule = await post(admin, `${centerPath(orderDesk)}/assignment-rules`, assignmentRuleBody());
	const automaticRule = await post(admin, `${centerPath(openDesk)}/automatic-rules`, automaticRuleBody());
	const notificationRule = await post(
		admin,
		`${centerPath(openDesk)}/notification-rules`,
		notificationRuleBody()
	);
	const spareGroup = await post(admin, `${centerPath(openDesk)}/groups`, { name: `Spare ${tag()}` });
	const editGroup = await post(admin, `${centerPath(openDesk)}/groups`, { name: `Edit ${tag()}` });
	const editUser = await server.userWithRoles(['agent']);

	// Calls come from the PBX, as in production.
	const pbx = async (body: Record<string, unknown>) => {
		const res = await fetch(`${server.origin}/api/cti/events`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${ctiToken}` },
			body: JSON.stringify(body)
		});
		const payload = (await res.json()) as { callId: string };
		if (res.status !== 202) throw new Error(`CTI event: ${res.status} ${JSON.stringify(payload)}`);
		return payload.callId;
	};
	const call = async (answeredBy: TestClient | null) => {
		const callId = randomUUID();
		const start = Date.now() - 60_000;
		const at = (s: number) => new Date(start + s * 1000).toISOString();
		const id = await pbx(ctiEventBody({ callId, type: 'offered', at: at(0) }));
		if (answeredBy)
			await pbx(ctiEventBody({ callId, type: 'answered', at: at(5), agent: answeredBy.username }));
		await pbx(ctiEventBody({ callId, type: 'ended', at: at(20) }));
		return id;
	};

	return {
		server,
		ctiToken,
		clients: { agent, technician, dispatcher, supervisor, admin, reservedMember, otherAgent },
		openDesk,
		reservedDesk,
		orderDesk,
		openTicket: openTicketNow,
		reservedTicket: reservedTicketNow,
		calendarId: calendar.id,
		spareCalendarId: spareCalendar.id,
		assignmentRuleId: assignmentRule.id,
		orderRuleId: orderRule.id,
		automaticRuleId: automaticRule.id,
		notificationRuleId: notificationRule.id,
		spareGroupId: spareGroup.id,
		editGroupId: editGroup.id,
		editUserId: editUser.userId,
		login: { username: loginUser.username, password: 'test-password' },
		calls: { agents: await call(agent), otherAgents: await call(otherAgent), missed: await call(null) }
	};
}
