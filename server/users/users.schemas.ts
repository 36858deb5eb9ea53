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
	sipAuthUser: z.string().nullable(),
	/** The SIP password itself never leaves the server but for its own agent's softphone. */
	sipPasswordSet: z.boolean(),
	/** Service-centre groups the user is a member of, in any centre. */
	groupIds: z.array(z.uuid()),
	version: z.number().int()
});
export type UserView = z.infer<typeof userView>;

/** Each role at most once: a user has a handful of roles, not ten thousand. */
const roleList = z
	.array(roleSchema, { error: 'roles must be a list of roles' })
	.min(1, 'roles must name at least one role')
	.max(roleSchema.options.length, `roles: at most ${roleSchema.options.length}, each once`)
	.refine((roles) => new Set(roles).size === roles.length, 'roles: each role at most once');

const password = z
	.string({ error: 'password is required' })
	.min(8, 'password must have at least 8 characters')
	.max(200, 'password must have at most 200 characters');

const displayName = z
	.string({ error: 'displayName is required' })
	.trim()
	.min(1, 'displayName is required')
	.max(120, 'displayName must have at most 120 characters');
const email = z.email('email is not a valid address').max(254, 'email is too long').nullable();
const teamId = z.uuid('teamId must be a UUID').nullable();

const sipExtension = z
	.string()
	// No regex flags: the pattern is published in the OpenAPI document as it is written.
	.regex(/^\d{2,8}$/, 'sipExtension must be 2 to 8 digits')
	.nullable();
/** The digest user name the PBX expects; most PBXs use the extension itself. */
const sipAuthUser = z
	.string()
	.regex(/^[A-Za-z0-9._~+-]{1,64}$/, 'sipAuthUser: 1 to 64 letters, digits or . _ ~ + -')
	.nullable();
/** Write-only: a new SIP password, or null to remove it; left out, it stays as it is. */
const sipPassword = z
	.string()
	.min(8, 'sipPassword must have at least 8 characters')
	.max(128, 'sipPassword must have at most 128 characters')
	.nullable();

/** A user is in a few groups, each once. */
const groupIds = z
	.array(z.uuid('groupIds must list group UUIDs'))
	.max(100, 'groupIds: at most 100 groups')
	.refine((ids) => new Set(ids).size === ids.length, 'groupIds lists a group twice');

export const userCreate = z.strictObject({
	username: z
		.string({ error: 'username is required' })
		.trim()
		.regex(/^[A-Za-z0-9._-]{3,40}$/, 'username: 3 to 40 letters, digits, dots, dashes or underscores'),
	displayName,
	email: email.optional(),
	password,
	roles: roleList,
	teamId: teamId.optional(),
	sipExtension: sipExtension.optional(),
	/** Defaults to the extension. */
	sipAuthUser: sipAuthUser.optional(),
	sipPassword: sipPassword.optional(),
	groupIds: groupIds.optional()
});
export type UserCreate = z.infer<typeof userCreate>;

/**
 * A partial change; `version` is the one read (409 when it is stale). Setting `password` is the
 * administrator's password reset and `disabled: true` deactivation: both end the user's sessions.
 */
export const userPatch = z.strictObject({
	version: z.number({ error: 'version is required' }).int().positive(),
	displayName: displayName.optional(),
	email: email.optional(),
	password: password.optional(),
	roles: roleList.optional(),
	teamId: teamId.optional(),
	disabled: z.boolean({ error: 'disabled must be true or false' }).optional(),
	/** null removes the extension and its credentials. */
	sipExtension: sipExtension.optional(),
	sipAuthUser: sipAuthUser.optional(),
	sipPassword: sipPassword.optional(),
	/** The whole list of the user's groups. */
	groupIds: groupIds.optional()
});
export type UserPatch = z.infer<typeof userPatch>;
