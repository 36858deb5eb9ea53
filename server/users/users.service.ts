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
		raise({ type: 'user.updated', userId: created.id, version: created.version, disabled: false });
		return created;
	});
}

/** Disabling an account ends its sessions and disconnects its sockets at once. */
export async function updateUser({
	ctx,
	input
}: ServiceArgs<{ id: string; patch: UserPatch }>): Promise<UserView> {
	authorize(ctx.actor, 'users:manage');
	const { version, password, ...changes } = input.patch;
	const passwordHash = password ? await hashPassword(password) : undefined;
	return inTransaction(ctx, async ({ db, raise }) => {
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
			if (!exists) throw notFound('User');
			throw conflict(
				`The user was changed by someone else (now version ${exists.version}): reload and retry`,
				'version'
			);
		}
		if (updated.disabled || passwordHash) await db.delete(sessions).where(eq(sessions.userId, updated.id));
		raise({ type: 'user.updated', userId: updated.id, version: updated.version, disabled: updated.disabled });
		return updated;
	});
}
