import { z } from 'zod';
import { roleEnum } from '../../db/schema/identity';

export const roleSchema = z.enum(roleEnum.enumValues);
export const localeSchema = z.enum(['it', 'en']);

export const loginInput = z.object({
	username: z.string({ error: 'username is required' }).trim().min(1, 'username is required').max(100),
	password: z.string({ error: 'password is required' }).min(1, 'password is required').max(200)
});
export type LoginInput = z.infer<typeof loginInput>;

export const sessionUser = z.object({
	id: z.uuid(),
	username: z.string(),
	displayName: z.string(),
	roles: z.array(roleSchema),
	locale: localeSchema,
	teamId: z.uuid().nullable(),
	sipExtension: z.string().nullable()
});
export type SessionUser = z.infer<typeof sessionUser>;

export const preferencesInput = z.object({ locale: localeSchema });
