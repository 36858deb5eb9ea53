import type { Role } from '../../db/schema/identity';
import { forbidden, unauthorized } from '../core/errors';
import type { Actor } from '../core/context';

/**
 * The one authorisation table. Every route and every socket event asks `authorize` with one
 * of these permissions; roles are additive.
 */
export const permissions = {
	'customers:read': ['agent', 'dispatcher', 'supervisor', 'admin'],
	'customers:write': ['agent', 'supervisor', 'admin'],
	'search:use': ['agent', 'dispatcher', 'supervisor', 'admin', 'technician'],
	'presence:watch': ['supervisor', 'admin'],
	'tickets:read': ['agent', 'dispatcher', 'supervisor', 'admin'],
	'tickets:write': ['agent', 'dispatcher', 'supervisor', 'admin'],
	/** Give a ticket to someone else and see "to assign". */
	'tickets:assign': ['dispatcher', 'supervisor', 'admin'],
	'sla:preview': ['supervisor', 'admin'],
	'notifications:read': ['agent', 'dispatcher', 'supervisor', 'admin', 'technician'],
	'callers:lookup': ['agent', 'dispatcher', 'supervisor', 'admin'],
	/** Register a softphone, report its calls, set one's own agent state, write a wrap-up. */
	'calls:report': ['agent', 'supervisor'],
	/** My calls and the missed-calls list. */
	'calls:read': ['agent', 'supervisor', 'admin'],
	/** Everyone's calls. */
	'calls:read_all': ['supervisor', 'admin'],
	'softphone:use': ['agent', 'supervisor'],
	'agent_states:watch': ['supervisor', 'admin'],
	/** Granted to the PBX webhook only (bearer token), never to a role. */
	'cti:ingest': [],
	'users:manage': ['admin'],
	/** The support desk's configuration (calendars, SLA policies, action reasons, rules, groups). */
	'desk_config:read': ['supervisor', 'admin'],
	'desk_config:write': ['admin'],
	'admin:read': ['admin'],
	/** Demo switchboard (no PBX configured): a simulated customer call to oneself. */
	'demo:call_self': ['agent', 'supervisor', 'admin'],
	/** ...to any extension or the ACD, the stream of calls, the switchboard's status. */
	'demo:call_any': ['supervisor', 'admin'],
	/** /demo/phone: call an agent from one's own browser with a demo customer's number. */
	'demo:call_as_customer': ['supervisor', 'admin']
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(actor: Actor, permission: Permission): boolean {
	if (actor.kind === 'system') return true;
	if (actor.kind === 'pbx') return permission === 'cti:ingest';
	const allowed: readonly Role[] = permissions[permission];
	return actor.roles.some((r) => allowed.includes(r));
}

export function authorize(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
	if (!actor) throw unauthorized();
	if (!can(actor, permission)) throw forbidden(`Your role may not use ${permission}`);
}
