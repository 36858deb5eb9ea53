import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { sessions, teams, users } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { inTransaction, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { badRequest, conflict, notFound } from '../core/errors';
import { hashPassword } from '../auth/password';
import { auditTrailOf, changedFields, recordAudit, secretChange, type AuditChanges } from '../audit/audit';
import type { AuditEntry } from '../audit/audit.schemas';
import { groupIdsByUser, replaceUserGroups } from '../desk-config/groups.service';
import type { UserCreate, UserPatch, UserView } from './users.schemas';

/*
 * User accounts, for administrators. Every change writes one entry in the audit trail in its own
 * transaction; passwords appear there only as "changed", never as values.
 */

const columns = {
	id: users.id,
	username: users.username,
	displayName: users.displayName,
	email: users.email,
	roles: users.roles,
	teamId: users.teamId,
	locale: users.locale,
	disabled: users.disabled,
	sipExtension: users.sipExtension,
	sipAuthUser: users.sipAuthUser,
	sipPasswordSet: sql<boolean>`${users.sipPassword} is not null`,
	version: users.version
};
type UserRow = Omit<UserView, 'groupIds'>;

/** The fields whose values the trail shows; team and groups are written with their names. */
const auditedFields = [
	'username',
	'displayName',
	'email',
	'roles',
	'disabled',
	'sipExtension',
	'sipAuthUser'
] as const;

async function withGroups(db: DbOrTx, rows: UserRow[], all = false): Promise<UserView[]> {
	const groups = await groupIdsByUser(db, all ? undefined : rows.map((r) => r.id));
	return rows.map((row) => ({ ...row, groupIds: groups.get(row.id) ?? [] }));
}

async function userById(db: DbOrTx, id: string): Promise<UserView> {
	const [row] = await db.select(columns).from(users).where(eq(users.id, id));
	if (!row) throw notFound('User');
	const [view] = await withGroups(db, [row]);
	return view;
}

/** The team named, for the trail; an unknown team is the client's mistake. */
async function teamRef(db: DbOrTx, teamId: string | null) {
	if (!teamId) return null;
	const [team] = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, teamId));
	if (!team) throw badRequest('teamId: no such team', 'teamId', { issue: 'missing_reference' });
	return team;
}

export async function listUsers({ ctx }: ServiceArgs<void>): Promise<UserView[]> {
	authorize(ctx.actor, 'users:manage');
	const rows = await ctx.db.select(columns).from(users).orderBy(asc(users.username));
	return withGroups(ctx.db, rows, true);
}

export async function getUser({ ctx, input }: ServiceArgs<{ id: string }>): Promise<UserView> {
	authorize(ctx.actor, 'users:manage');
	return userById(ctx.db, input.id);
}

export async function userAuditTrail({ ctx, input }: ServiceArgs<{ id: string }>): Promise<AuditEntry[]> {
	authorize(ctx.actor, 'users:manage');
	await userById(ctx.db, input.id);
	return auditTrailOf(ctx.db, 'user', input.id);
}

/** A SIP extension is one person's: 409 naming the field, and whose it is. */
async function assertExtensionFree(db: DbOrTx, extension: string | null | undefined, id: string | null) {
	if (!extension) return;
	const [holder] = await db
		.select({ username: users.username })
		.from(users)
		.where(and(eq(users.sipExtension, extension), id ? ne(users.id, id) : undefined));
	if (holder)
		throw conflict(`sipExtension: ${extension} is already ${holder.username}'s extension`, 'sipExtension', {
			issue: 'taken'
		});
}

export async function createUser({ ctx, input }: ServiceArgs<UserCreate>): Promise<UserView> {
	authorize(ctx.actor, 'users:manage');
	const passwordHash = await hashPassword(input.password);
	return inTransaction(ctx, async (tx) => {
		const { db } = tx;
		const [taken] = await db
			.select({ id: users.id })
			.from(users)
			.where(eq(sql`lower(${users.username})`, input.username.toLowerCase()));
		if (taken) throw conflict(`username ${input.username} is taken`, 'username', { issue: 'taken' });
		await assertExtensionFree(db, input.sipExtension, null);
		const extension = input.sipExtension ?? null;
		const [created] = await db
			.insert(users)
			.values({
				username: input.username,
				displayName: input.displayName,
				email: input.email ?? null,
				passwordHash,
				roles: input.roles,
				teamId: input.teamId ?? null,
				sipExtension: extension,
				// Credentials belong to an extension: without one there are none.
				sipAuthUser: extension && (input.sipAuthUser ?? extension),
				sipPassword: extension && (input.sipPassword ?? null)
			})
			.returning(columns);
		const groups = input.groupIds?.length
			? await replaceUserGroups(tx, created, input.groupIds)
			: { before: [], after: [] };
		// A new account is active: its trail starts with what was given.
		const changes: AuditChanges = changedFields(
			null,
			created,
			auditedFields.filter((field) => field !== 'disabled')
		);
		if (created.teamId) changes.team = { from: null, to: await teamRef(db, created.teamId) };
		if (groups.after.length) changes.groups = { from: [], to: groups.after };
		if (created.sipPasswordSet) changes.sipPassword = secretChange(false, true);
		await recordAudit(db, ctx.actor, { entity: 'user', entityId: created.id, action: 'created', changes });
		tx.raise({ type: 'user.updated', userId: created.id, version: created.version });
		return userById(db, created.id);
	});
}

/**
 * The administrator's edit: profile, roles, team, groups, SIP line, password reset,
 * deactivation. Deactivating an account or setting its password ends its sessions; any change to
 * what the user may see or do, or to their SIP line, disconnects their open sockets (Socket.IO
 * and the demo switchboard's) at once.
 */
export async function updateUser({
	ctx,
	input
}: ServiceArgs<{ id: string; patch: UserPatch }>): Promise<UserView> {
	authorize(ctx.actor, 'users:manage');
	const { version, password, groupIds, sipPassword, ...fields } = input.patch;
	const passwordHash = password ? await hashPassword(password) : undefined;
	return inTransaction(ctx, async (tx) => {
		const { db } = tx;
		const [before] = await db
			.select({ ...columns, sipPassword: users.sipPassword })
			.from(users)
			.where(eq(users.id, input.id))
			.for('update');
		if (!before) throw notFound('User');
		if (before.version !== version)
			throw conflict(
				`The user was changed by someone else (now version ${before.version}): reload and retry`,
				'version'
			);
		const next = { ...before, ...fields };
		if (ctx.actor.kind === 'user' && ctx.actor.userId === before.id && next.disabled)
			throw conflict('disabled: you cannot deactivate your own account', 'disabled', {
				issue: 'invalid_value'
			});
		if (
			before.roles.includes('admin') &&
			!before.disabled &&
			(next.disabled || !next.roles.includes('admin'))
		)
			await assertAnotherAdmin(db, before.id, next.disabled ? 'disabled' : 'roles');
		if (fields.sipExtension !== undefined && fields.sipExtension !== before.sipExtension)
			await assertExtensionFree(db, fields.sipExtension, before.id);

		// Credentials belong to an extension: removing it removes them; an auth user that was the
		// old extension follows the new one unless another is given.
		const sip = {
			sipExtension: next.sipExtension,
			sipAuthUser: !next.sipExtension
				? null
				: fields.sipAuthUser !== undefined
					? (fields.sipAuthUser ?? next.sipExtension)
					: before.sipAuthUser === null || before.sipAuthUser === before.sipExtension
						? next.sipExtension
						: before.sipAuthUser,
			sipPassword: !next.sipExtension ? null : sipPassword !== undefined ? sipPassword : before.sipPassword
		};
		const after = { ...next, ...sip };
		const groups =
			groupIds !== undefined ? await replaceUserGroups(tx, after, groupIds) : { before: [], after: [] };

		const changes = changedFields(before, after, auditedFields);
		if (before.teamId !== after.teamId)
			changes.team = { from: await teamRef(db, before.teamId), to: await teamRef(db, after.teamId) };
		if (JSON.stringify(groups.before) !== JSON.stringify(groups.after))
			changes.groups = { from: groups.before, to: groups.after };
		if (before.sipPassword !== after.sipPassword)
			changes.sipPassword = secretChange(before.sipPassword !== null, after.sipPassword !== null);
		if (passwordHash) changes.password = secretChange(true, true);
		// Saving a form as it was read changes nothing: no new version, no trail entry.
		if (Object.keys(changes).length === 0) return userById(db, before.id);

		const [updated] = await db
			.update(users)
			.set({
				...fields,
				...sip,
				...(passwordHash ? { passwordHash } : {}),
				version: sql`${users.version} + 1`,
				updatedAt: new Date()
			})
			.where(eq(users.id, before.id))
			.returning(columns);
		const action =
			before.disabled !== updated.disabled
				? updated.disabled
					? 'deactivated'
					: 'reactivated'
				: passwordHash && Object.keys(changes).length === 1
					? 'password_reset'
					: 'updated';
		await recordAudit(db, ctx.actor, { entity: 'user', entityId: updated.id, action, changes });

		const signedOut = updated.disabled ? 'disabled' : passwordHash ? 'password' : null;
		if (signedOut) await db.delete(sessions).where(eq(sessions.userId, updated.id));
		tx.raise({ type: 'user.updated', userId: updated.id, version: updated.version });
		const sipChanged = ['sipExtension', 'sipAuthUser', 'sipPassword'].some((field) => field in changes);
		if (signedOut || sipChanged || accessChanged(before, updated)) {
			tx.raise({ type: 'user.access_changed', userId: updated.id, signedOut });
		}
		return userById(db, updated.id);
	});
}

/**
 * The console keeps at least one active administrator. Concurrent changes to administrators take
 * turns on a transaction lock, so two of them cannot each remove the other.
 */
async function assertAnotherAdmin(db: DbOrTx, userId: string, field: 'disabled' | 'roles') {
	await db.execute(sql`select pg_advisory_xact_lock(hashtext('users:last-admin'))`);
	const [other] = await db
		.select({ id: users.id })
		.from(users)
		.where(and(ne(users.id, userId), eq(users.disabled, false), sql`'admin' = any(${users.roles})`))
		.limit(1);
	if (!other)
		throw conflict(`${field}: this is the last active administrator`, field, { issue: 'invalid_value' });
}

type Access = Pick<UserView, 'roles' | 'teamId' | 'disabled'>;

function accessChanged(before: Access, after: Access): boolean {
	const sameRoles =
		before.roles.length === after.roles.length && before.roles.every((role) => after.roles.includes(role));
	return !sameRoles || before.teamId !== after.teamId || before.disabled !== after.disabled;
}
