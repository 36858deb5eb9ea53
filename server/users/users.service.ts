import { and, asc, eq, sql } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import { inTransaction, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { conflict, notFound } from '../core/errors';
import { hashPassword } from '../auth/password';
import type { UserCreate, UserPatch, UserView } from './users.schemas';

const view = {
	id: users.id,
	username: users.username,
	displayName: users.displayName,
	email: users.email,
	roles: users.roles,
	teamId: users.teamId,
	locale: users.locale,
	disabled: users.disabled,
	sipExtension: users.sipExtension,
	version: users.version
};

export async function listUsers({ ctx }: ServiceArgs<void>): Promise<UserView[]> {
	authorize(ctx.actor, 'users:manage');
	return ctx.db.select(view).from(users).orderBy(asc(users.username));
}

export async function createUser({ ctx, input }: ServiceArgs<UserCreate>): Promise<UserView> {
	authorize(ctx.actor, 'users:manage');
	const passwordHash = await hashPassword(input.password);
	return inTransaction(ctx, async ({ db, raise }) => {
		const [taken] = await db
			.select({ id: users.id })
			.from(users)
			.where(eq(sql`lower(${users.username})`, input.username.toLowerCase()));
		if (taken) throw conflict(`username ${input.username} is taken`, 'username');
		const [created] = await db
			.insert(users)
			.values({
				username: input.username,
				displayName: input.displayName,
				email: input.email ?? null,
				passwordHash,
				roles: input.roles,
				teamId: input.teamId ?? null,
				sipExtension: input.sipExtension ?? null,
				sipAuthUser: input.sipExtension ?? null
			})
			.returning(view);
		raise({ type: 'user.updated', userId: created.id, version: created.version });
		return created;
	});
}

/**
 * Disabling an account or setting its password ends its sessions. Any change to what the user
 * may see or do (roles, team, password, disabled) disconnects their open sockets at once.
 */
export async function updateUser({
	ctx,
	input
}: ServiceArgs<{ id: string; patch: UserPatch }>): Promise<UserView> {
	authorize(ctx.actor, 'users:manage');
	const { version, password, ...changes } = input.patch;
	const passwordHash = password ? await hashPassword(password) : undefined;
	return inTransaction(ctx, async ({ db, raise }) => {
		const [before] = await db
			.select({ roles: users.roles, teamId: users.teamId, disabled: users.disabled })
			.from(users)
			.where(eq(users.id, input.id))
			.for('update');
		if (!before) throw notFound('User');
		const [updated] = await db
			.update(users)
			.set({
				...changes,
				...(passwordHash ? { passwordHash } : {}),
				version: sql`${users.version} + 1`,
				updatedAt: new Date()
			})
			.where(and(eq(users.id, input.id), eq(users.version, version)))
			.returning(view);
		if (!updated) {
			const [exists] = await db.select({ version: users.version }).from(users).where(eq(users.id, input.id));
			throw conflict(
				`The user was changed by someone else (now version ${exists.version}): reload and retry`,
				'version'
			);
		}
		const signedOut = updated.disabled ? 'disabled' : passwordHash ? 'password' : null;
		if (signedOut) await db.delete(sessions).where(eq(sessions.userId, updated.id));
		raise({ type: 'user.updated', userId: updated.id, version: updated.version });
		if (signedOut || accessChanged(before, updated)) {
			raise({ type: 'user.access_changed', userId: updated.id, signedOut });
		}
		return updated;
	});
}

type Access = Pick<UserView, 'roles' | 'teamId' | 'disabled'>;

function accessChanged(before: Access, after: Access): boolean {
	const sameRoles =
		before.roles.length === after.roles.length && before.roles.every((role) => after.roles.includes(role));
	return !sameRoles || before.teamId !== after.teamId || before.disabled !== after.disabled;
}
