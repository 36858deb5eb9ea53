import type { PlainKey } from '$lib/i18n/i18n.svelte';
import type { Role } from '$lib/api/auth';

/**
 * Which screen each role may open. The server authorises every request on its own; this table
 * only decides what the navigation shows and when a page renders its "not allowed" state.
 */
export interface Screen {
	path: string;
	label: PlainKey;
	roles: readonly Role[];
	/** Listed in the top navigation. */
	nav: boolean;
	/** Wall screens (wallboard, dispatch map) default to the dark theme. */
	wall: boolean;
}

export const screens = {
	agent: { path: '/agent', label: 'nav.agent', roles: ['agent', 'supervisor'], nav: true, wall: false },
	dispatch: {
		path: '/dispatch',
		label: 'nav.dispatch',
		roles: ['dispatcher', 'supervisor'],
		nav: true,
		wall: true
	},
	wallboard: {
		path: '/wallboard',
		label: 'nav.wallboard',
		roles: ['supervisor', 'admin'],
		nav: true,
		wall: true
	},
	tickets: {
		path: '/tickets',
		label: 'nav.tickets',
		roles: ['agent', 'dispatcher', 'supervisor', 'admin'],
		nav: true,
		wall: false
	},
	calls: {
		path: '/calls',
		label: 'nav.calls',
		roles: ['agent', 'supervisor', 'admin'],
		nav: true,
		wall: false
	},
	technician: { path: '/technician', label: 'nav.technician', roles: ['technician'], nav: true, wall: false },
	admin: { path: '/admin', label: 'nav.admin', roles: ['admin'], nav: true, wall: false },
	/** Demo switchboard only: call an agent as a demo customer from this browser. */
	demoPhone: {
		path: '/demo/phone',
		label: 'nav.demoPhone',
		roles: ['supervisor', 'admin'],
		nav: false,
		wall: false
	},
	customer: {
		path: '/customers',
		label: 'nav.agent',
		roles: ['agent', 'dispatcher', 'supervisor', 'admin'],
		nav: false,
		wall: false
	}
} as const satisfies Record<string, Screen>;

export type ScreenId = keyof typeof screens;

/** Each role's home, in priority order: a user with several roles lands on the first one they have. */
const homes: ReadonlyArray<[Role, ScreenId]> = [
	['agent', 'agent'],
	['dispatcher', 'dispatch'],
	['supervisor', 'wallboard'],
	['admin', 'admin'],
	['technician', 'technician']
];

export function canOpen(roles: readonly Role[], screen: ScreenId): boolean {
	const allowed: readonly Role[] = screens[screen].roles;
	return roles.some((role) => allowed.includes(role));
}

export function homeOf(roles: readonly Role[]): string | null {
	const home = homes.find(([role]) => roles.includes(role));
	return home ? screens[home[1]].path : null;
}

export function navigationFor(roles: readonly Role[]): Array<Screen & { id: ScreenId }> {
	return (Object.keys(screens) as ScreenId[])
		.filter((id) => screens[id].nav && canOpen(roles, id))
		.map((id) => ({ id, ...screens[id] }));
}

/** The screen a path belongs to (`/customers/123` → customer), or null for the root. */
export function screenAt(pathname: string): ScreenId | null {
	const ids = Object.keys(screens) as ScreenId[];
	return (
		ids.find((id) => pathname === screens[id].path || pathname.startsWith(`${screens[id].path}/`)) ?? null
	);
}
