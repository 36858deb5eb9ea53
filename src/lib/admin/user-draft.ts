import type { UserCreate, UserPatch, UserView } from '$lib/api/users';

type Role = UserView['roles'][number];

/** What the user form edits, as the inputs hold it: empty strings for "none". */
export interface UserDraft {
	username: string;
	displayName: string;
	email: string;
	/** Only when creating: the first password. */
	password: string;
	roles: Role[];
	teamId: string;
	groupIds: string[];
	sipExtension: string;
	/** Empty: the same as the extension. */
	sipAuthUser: string;
	/** Empty: keep the one set (if any). */
	sipPassword: string;
	removeSipPassword: boolean;
}

export function draftOf(user: UserView | null): UserDraft {
	return {
		username: user?.username ?? '',
		displayName: user?.displayName ?? '',
		email: user?.email ?? '',
		password: '',
		roles: user ? [...user.roles] : ['agent'],
		teamId: user?.teamId ?? '',
		groupIds: user ? [...user.groupIds] : [],
		sipExtension: user?.sipExtension ?? '',
		sipAuthUser: user?.sipAuthUser && user.sipAuthUser !== user.sipExtension ? user.sipAuthUser : '',
		sipPassword: '',
		removeSipPassword: false
	};
}

const orNull = (value: string) => value.trim() || null;

export function createBody(draft: UserDraft): UserCreate {
	const sipExtension = orNull(draft.sipExtension);
	return {
		username: draft.username.trim(),
		displayName: draft.displayName,
		email: orNull(draft.email),
		password: draft.password,
		roles: draft.roles,
		teamId: orNull(draft.teamId),
		groupIds: draft.groupIds,
		sipExtension,
		...(sipExtension
			? {
					sipAuthUser: orNull(draft.sipAuthUser),
					...(draft.sipPassword ? { sipPassword: draft.sipPassword } : {})
				}
			: {})
	};
}

/**
 * The whole form as a change: the server compares it with what it holds, so a field left as it
 * was changes nothing. The SIP password is sent only when typed, or as null to remove it.
 */
export function patchBody(draft: UserDraft): Omit<UserPatch, 'version'> {
	const sipExtension = orNull(draft.sipExtension);
	return {
		displayName: draft.displayName,
		email: orNull(draft.email),
		roles: draft.roles,
		teamId: orNull(draft.teamId),
		groupIds: draft.groupIds,
		sipExtension,
		sipAuthUser: sipExtension && orNull(draft.sipAuthUser),
		...(draft.removeSipPassword
			? { sipPassword: null }
			: draft.sipPassword
				? { sipPassword: draft.sipPassword }
				: {})
	};
}

const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A password to hand over: 14 characters of an alphabet without look-alikes (no 0/O, 1/l/I).
 * Bytes past the last whole multiple of the alphabet are skipped, so every character is as likely.
 */
export function generatePassword(
	random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))
): string {
	const limit = 256 - (256 % alphabet.length);
	let password = '';
	while (password.length < 14) {
		for (const byte of random(32)) {
			if (byte < limit && password.length < 14) password += alphabet[byte % alphabet.length];
		}
	}
	return password;
}
