import { z } from 'zod';
import { localeSchema, roleSchema } from '../auth/auth.schemas';

export const userIdParam = z.object({ id: z.uuid('id must be a UUID') });

export const userView = z.object({
	id: z.uuid(),
	username: z.string(),
	displayName: z.string(),
	email: z.string().nullable(),
	roles: z.array(roleSchema),
	teamId: z.uuid().nullable(),
	locale: localeSchema,
	disabled: z.boolean(),
	sipExtension: z.string().nullable(),
	version: z.number().int()
});
export type UserView = z.infer<typeof userView>;

/** Each role at most once: a user has a handful of roles, not ten thousand. */
const roleList = z
	.array(roleSchema)
	.min(1, 'roles must name at least one role')
	.max(roleSchema.options.length, `roles: at most ${roleSchema.options.length}, each once`)
	.refine((roles) => new Set(roles).size === roles.length, 'roles: each role at most once');

const password = z.string().min(8, 'password must have at least 8 characters').max(200);

export const userCreate = z.object({
	username: z
		.string()
		.trim()
		// No regex flags: the pattern is published in the OpenAPI document as it is written.
		.regex(/^[A-Za-z0-9._-]{3,40}$/, 'username: 3 to 40 letters, digits, dots, dashes or underscores'),
	displayName: z.string().trim().min(1, 'displayName is required').max(120),
	email: z.email('email is not a valid address').nullable().optional(),
	password,
	roles: roleList,
	teamId: z.uuid().nullable().optional(),
	sipExtension: z
		.string()
		.regex(/^\d{2,8}$/, 'sipExtension must be 2 to 8 digits')
		.nullable()
		.optional()
});
export type UserCreate = z.infer<typeof userCreate>;

export const userPatch = z
	.object({
		version: z.number({ error: 'version is required' }).int().positive(),
		displayName: z.string().trim().min(1).max(120).optional(),
		email: z.email().nullable().optional(),
		password: password.optional(),
		roles: roleList.optional(),
		teamId: z.uuid().nullable().optional(),
		disabled: z.boolean().optional()
	})
	.strict();
export type UserPatch = z.infer<typeof userPatch>;
