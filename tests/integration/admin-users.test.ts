import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, serviceGroupMembers } from '../../db/schema';
import type { AuditEntry } from '../../server/audit/audit.schemas';
import type { DeskCenter, GroupOption } from '../../server/desk-config/desk-config.schemas';
import type { UserView } from '../../server/users/users.schemas';
import { nextEvent, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import { createDesk, dbOf } from './tickets-fixtures';

/*
 * User and service-centre administration: every change writes its audit entry in the same
 * transaction (none when it is refused), sessions and sockets end when an account is deactivated
 * or its password reset, SIP extensions are unique, bad input names its field.
 */

let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
	server = await startTestServer();
	await server.runtime.jobs.stop();
	admin = await server.userWithRoles(['admin']);
});
afterAll(() => server?.close());

const tag = () => randomBytes(3).toString('hex');
/** An extension no other test of the run uses: 6 random digits. */
const extension = () => String(100_000 + (randomBytes(3).readUIntBE(0, 3) % 900_000));

async function send(client: TestClient, method: string, path: string, json?: unknown) {
	const res = await client.fetch(path, { method, json });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function ok<T>(method: string, path: string, json?: unknown): Promise<T> {
	const res = await send(admin, method, path, json);
	expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
	return res.body as T;
}

const newUser = (extra: Record<string, unknown> = {}) => ({
	username: `u-${tag()}`,
	displayName: 'Giulia Neri',
	password: 'una-password-lunga',
	roles: ['agent'],
	...extra
});

const createUser = (extra: Record<string, unknown> = {}) =>
	ok<UserView>('POST', '/api/admin/users', newUser(extra));
const patchUser = (user: Pick<UserView, 'id' | 'version'>, patch: Record<string, unknown>) =>
	send(admin, 'PATCH', `/api/admin/users/${user.id}`, { version: user.version, ...patch });
const trailOf = async (userId: string) =>
	(await ok<{ items: AuditEntry[] }>('GET', `/api/admin/users/${userId}/audit`)).items;

async function signIn(username: string, password: string) {
	const res = await fetch(`${server.origin}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.origin },
		body: JSON.stringify({ username, password })
	});
	return { status: res.status, cookie: (res.headers.getSetCookie()[0] ?? '').split(';')[0] };
}

const me = (cookie: string) => fetch(`${server.origin}/api/me`, { headers: { cookie } });

describe('creating and editing a user', () => {
	it('creates an agent with an extension, groups and SIP credentials, and never shows the SIP password', async () => {
		const desk = await createDesk(server);
		const username = `agent-${tag()}`;
		const created = await createUser({
			username,
			email: 'giulia.neri@example.it',
			sipExtension: extension(),
			sipPassword: 'sip-segreta-1',
			groupIds: [desk.groupA]
		});
		expect(created).toMatchObject({
			username,
			roles: ['agent'],
			sipPasswordSet: true,
			groupIds: [desk.groupA]
		});
		expect(created.sipAuthUser).toBe(created.sipExtension);
		expect(JSON.stringify(created)).not.toContain('sip-segreta-1');
		const listed = await ok<{ items: UserView[] }>('GET', '/api/admin/users');
		expect(JSON.stringify(listed)).not.toContain('sip-segreta-1');
		expect(listed.items.find((u) => u.id === created.id)).toEqual(created);
		expect(await ok('GET', `/api/admin/users/${created.id}`)).toEqual(created);

		const [entry] = await trailOf(created.id);
		expect(entry).toMatchObject({ action: 'created', actorId: admin.userId });
		expect(entry.changes).toMatchObject({
			username: { from: null, to: username },
			sipExtension: { to: created.sipExtension },
			sipPassword: { from: false, to: true },
			groups: { from: [], to: [{ id: desk.groupA, name: `${desk.code} · Primo livello` }] }
		});
		expect(JSON.stringify(entry)).not.toContain('sip-segreta-1');
		expect(JSON.stringify(entry)).not.toContain('una-password-lunga');

		// The agent signs in and its softphone line is the one set here.
		expect((await signIn(username, 'una-password-lunga')).status).toBe(200);
	});

	it('edits name, e-mail, roles, team, groups and the SIP line, each in the trail with before and after', async () => {
		const desk = await createDesk(server);
		const team = await server.team();
		const user = await createUser({ sipExtension: extension(), groupIds: [desk.groupA] });
		const newExtension = extension();
		const res = await patchUser(user, {
			displayName: 'Giulia Neri Bianchi',
			email: 'g.bianchi@example.it',
			roles: ['agent', 'dispatcher'],
			teamId: team,
			groupIds: [desk.groupB],
			sipExtension: newExtension,
			sipPassword: 'nuova-sip-123'
		});
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		const saved = res.body as UserView;
		expect(saved).toMatchObject({
			displayName: 'Giulia Neri Bianchi',
			roles: ['agent', 'dispatcher'],
			teamId: team,
			groupIds: [desk.groupB],
			sipExtension: newExtension,
			// The auth user was the old extension: it follows the new one.
			sipAuthUser: newExtension,
			sipPasswordSet: true,
			version: user.version + 1
		});
		const [entry] = await trailOf(user.id);
		expect(entry.action).toBe('updated');
		expect(entry.changes).toEqual({
			displayName: { from: 'Giulia Neri', to: 'Giulia Neri Bianchi' },
			email: { from: null, to: 'g.bianchi@example.it' },
			roles: { from: ['agent'], to: ['agent', 'dispatcher'] },
			team: { from: null, to: { id: team, name: expect.any(String) } },
			groups: {
				from: [{ id: desk.groupA, name: `${desk.code} · Primo livello` }],
				to: [{ id: desk.groupB, name: `${desk.code} · Secondo livello` }]
			},
			sipExtension: { from: user.sipExtension, to: newExtension },
			sipAuthUser: { from: user.sipExtension, to: newExtension },
			sipPassword: { from: false, to: true }
		});
		const members = await dbOf(server)
			.select({ groupId: serviceGroupMembers.groupId })
			.from(serviceGroupMembers)
			.where(eq(serviceGroupMembers.userId, user.id));
		expect(members).toEqual([{ groupId: desk.groupB }]);

		// Removing the extension removes its credentials.
		const cleared = await patchUser(saved, { sipExtension: null });
		expect(cleared.body).toMatchObject({ sipExtension: null, sipAuthUser: null, sipPasswordSet: false });
	});

	it('saving what was read changes nothing: no new version, no trail entry', async () => {
		const user = await createUser();
		const res = await patchUser(user, { displayName: user.displayName, roles: user.roles, groupIds: [] });
		expect(res.status).toBe(200);
		expect(res.body.version).toBe(user.version);
		expect(await trailOf(user.id)).toHaveLength(1);
	});

	it('refuses a stale version with 409 and writes no trail entry', async () => {
		const user = await createUser();
		expect((await patchUser(user, { displayName: 'Primo' })).status).toBe(200);
		const stale = await patchUser(user, { displayName: 'Secondo' });
		expect(stale.status).toBe(409);
		expect(stale.body.error.field).toBe('version');
		expect((await trailOf(user.id)).map((e) => e.action)).toEqual(['updated', 'created']);
	});
});

describe('SIP extensions are unique', () => {
	it('answers 409 naming sipExtension, on create and on edit, and the refused change leaves no trace', async () => {
		const taken = extension();
		const holder = await createUser({ sipExtension: taken });
		const twin = await send(admin, 'POST', '/api/admin/users', newUser({ sipExtension: taken }));
		expect(twin.status).toBe(409);
		expect(twin.body.error).toMatchObject({ code: 'conflict', field: 'sipExtension', issue: 'taken' });
		expect(twin.body.error.message).toContain(holder.username);

		const other = await createUser({ sipExtension: extension() });
		const res = await patchUser(other, { sipExtension: taken, displayName: 'Nome nuovo' });
		expect(res.status).toBe(409);
		expect(res.body.error.field).toBe('sipExtension');
		const now = await ok<UserView>('GET', `/api/admin/users/${other.id}`);
		expect(now).toMatchObject({ displayName: other.displayName, version: other.version });
		expect(await trailOf(other.id)).toHaveLength(1);
	});
});

describe('password reset and deactivation', () => {
	it('a reset password ends the sessions; the new one signs in', async () => {
		const user = await createUser();
		const { cookie } = await signIn(user.username, 'una-password-lunga');
		expect((await me(cookie)).status).toBe(200);
		const res = await patchUser(user, { password: 'password-nuova-42' });
		expect(res.status).toBe(200);
		expect((await me(cookie)).status).toBe(401);
		expect((await signIn(user.username, 'una-password-lunga')).status).toBe(401);
		expect((await signIn(user.username, 'password-nuova-42')).status).toBe(200);
		const [entry] = await trailOf(user.id);
		expect(entry).toMatchObject({
			action: 'password_reset',
			changes: { password: { from: true, to: true } }
		});
		expect(JSON.stringify(entry)).not.toContain('password-nuova-42');
	});

	it("deactivation ends the user's sessions and sockets at once; reactivation lets them sign in again", async () => {
		const agent = await server.userWithRoles(['agent']);
		const socket = await agent.socket();
		const ended = nextEvent(socket, 'session:ended');
		const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
		const user = await ok<UserView>('GET', `/api/admin/users/${agent.userId}`);
		const res = await patchUser(user, { disabled: true });
		expect(res.status).toBe(200);
		expect(await ended).toEqual({ reason: 'disabled' });
		await disconnected;
		expect((await agent.fetch('/api/me')).status).toBe(401);
		expect((await signIn(agent.username, 'test-password')).status).toBe(401);

		const back = await patchUser(res.body, { disabled: false });
		expect(back.status).toBe(200);
		expect((await signIn(agent.username, 'test-password')).status).toBe(200);
		expect((await trailOf(agent.userId)).map((e) => [e.action, e.changes.disabled])).toEqual([
			['reactivated', { from: true, to: false }],
			['deactivated', { from: false, to: true }]
		]);
	});

	it('an administrator cannot deactivate their own account', async () => {
		const self = await ok<UserView>('GET', `/api/admin/users/${admin.userId}`);
		const res = await patchUser(self, { disabled: true });
		expect(res.status).toBe(409);
		expect(res.body.error.field).toBe('disabled');
		expect((await admin.fetch('/api/me')).status).toBe(200);
		expect(await trailOf(admin.userId)).toEqual([]);
	});
});

describe('the console keeps an administrator', () => {
	it('the last active administrator keeps the admin role', async () => {
		const listed = await ok<{ items: UserView[] }>('GET', '/api/admin/users');
		const admins = listed.items.filter((u) => u.roles.includes('admin') && !u.disabled);
		expect(admins.map((u) => u.id)).toEqual([admin.userId]);
		const res = await patchUser(admins[0], { roles: ['supervisor'] });
		expect(res.status).toBe(409);
		expect(res.body.error.field).toBe('roles');
		expect(await trailOf(admin.userId)).toEqual([]);
	});
});

describe('validation errors name the field', () => {
	it.each([
		['username', { username: 'x' }],
		['displayName', { displayName: '' }],
		['email', { email: 'not-an-address' }],
		['password', { password: 'short' }],
		['roles', { roles: [] }],
		['roles.0', { roles: ['overlord'] }],
		['sipExtension', { sipExtension: '12ab' }],
		['sipAuthUser', { sipAuthUser: 'with space' }],
		['sipPassword', { sipPassword: 'short' }],
		['groupIds.0', { groupIds: ['nope'] }],
		['teamId', { teamId: randomUUID() }]
	])('POST refuses a bad %s with 400', async (field, extra) => {
		const username = `bad-${tag()}`;
		const res = await send(admin, 'POST', '/api/admin/users', newUser({ username, ...extra }));
		expect(res.status).toBe(400);
		expect(res.body.error).toMatchObject({ code: 'bad_request', field });
		const listed = await ok<{ items: UserView[] }>('GET', '/api/admin/users');
		expect(listed.items.some((u) => u.username === username)).toBe(false);
	});

	it('PATCH refuses an unknown group, a bad e-mail or an unknown field with 400, and writes nothing', async () => {
		const user = await createUser();
		for (const [patch, field] of [
			[{ groupIds: [randomUUID()] }, 'groupIds.0'],
			[{ email: 'nope' }, 'email'],
			[{ displayName: 'x'.repeat(121) }, 'displayName']
		] as const) {
			const res = await patchUser(user, patch);
			expect(res.status, JSON.stringify(patch)).toBe(400);
			expect(res.body.error.field).toBe(field);
		}
		expect((await patchUser(user, { nickname: 'x' })).status).toBe(400);
		expect(await trailOf(user.id)).toHaveLength(1);
	});

	it('a technician alone joins no group', async () => {
		const desk = await createDesk(server);
		const res = await send(
			admin,
			'POST',
			'/api/admin/users',
			newUser({ roles: ['technician'], groupIds: [desk.groupA] })
		);
		expect(res.status).toBe(400);
		expect(res.body.error.field).toBe('groupIds');
	});
});

describe('who may administer', () => {
	it('refuses a supervisor and an agent', async () => {
		const supervisor = await server.userWithRoles(['supervisor']);
		const user = await createUser();
		for (const client of [supervisor, await server.userWithRoles(['agent'])]) {
			expect((await send(client, 'GET', `/api/admin/users/${user.id}/audit`)).status).toBe(403);
			expect((await send(client, 'PATCH', `/api/admin/users/${user.id}`, { version: 1 })).status).toBe(403);
			expect((await send(client, 'POST', '/api/desk-config/centers', { code: 'X', name: 'X' })).status).toBe(
				403
			);
		}
	});
});

describe('service centres', () => {
	const calendar = () =>
		ok<{ id: string; name: string }>('POST', '/api/desk-config/calendars', {
			name: `Calendario ${tag()}`,
			config: {
				timeZone: 'Europe/Rome',
				weekHours: Object.fromEntries(
					['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '08:30', end: '17:30' }]])
				)
			}
		});

	it('creates a reserved centre on a calendar, edits it, and keeps the trail', async () => {
		const cal = await calendar();
		const code = `C${tag().toUpperCase()}`;
		const created = await ok<DeskCenter>('POST', '/api/desk-config/centers', {
			code,
			name: 'Assistenza robot',
			access: 'reserved',
			email: 'robot@example.it',
			calendarId: cal.id
		});
		expect(created).toMatchObject({
			code,
			access: 'reserved',
			active: true,
			email: 'robot@example.it',
			calendarId: cal.id,
			version: 1
		});
		const config = await ok<{ slaPolicy: { calendarId: string; targets: unknown[] } }>(
			'GET',
			`/api/desk-config/centers/${created.id}`
		);
		expect(config.slaPolicy).toMatchObject({ calendarId: cal.id, targets: [] });

		const other = await calendar();
		const res = await send(admin, 'PATCH', `/api/desk-config/centers/${created.id}`, {
			version: 1,
			name: 'Assistenza robotica',
			access: 'open',
			calendarId: other.id
		});
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect(res.body).toMatchObject({
			name: 'Assistenza robotica',
			access: 'open',
			calendarId: other.id,
			version: 2
		});
		const trail = (await ok<{ items: AuditEntry[] }>('GET', `/api/desk-config/centers/${created.id}/audit`))
			.items;
		expect(trail.map((e) => e.action)).toEqual(['updated', 'created']);
		expect(trail[0].changes).toEqual({
			name: { from: 'Assistenza robot', to: 'Assistenza robotica' },
			access: { from: 'reserved', to: 'open' },
			calendar: { from: { id: cal.id, name: cal.name }, to: { id: other.id, name: other.name } }
		});
		const groups = await ok<{ items: GroupOption[] }>('GET', '/api/desk-config/groups');
		expect(Array.isArray(groups.items)).toBe(true);
	});

	it('a taken code is 409 naming code; a stale version 409; bad input 400 naming the field; none leaves a trail', async () => {
		const desk = await createDesk(server);
		const taken = await send(admin, 'POST', '/api/desk-config/centers', {
			code: desk.code,
			name: 'Doppione'
		});
		expect(taken.status).toBe(409);
		expect(taken.body.error.field).toBe('code');
		for (const [body, field] of [
			[{ code: 'lower case', name: 'X' }, 'code'],
			[{ code: 'OK1', name: '' }, 'name'],
			[{ code: 'OK2', name: 'X', access: 'secret' }, 'access'],
			[{ code: 'OK3', name: 'X', email: 'nope' }, 'email'],
			[{ code: 'OK4', name: 'X', calendarId: randomUUID() }, 'calendarId']
		] as const) {
			const res = await send(admin, 'POST', '/api/desk-config/centers', body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.body.error.field).toBe(field);
		}
		const stale = await send(admin, 'PATCH', `/api/desk-config/centers/${desk.centerId}`, {
			version: 99,
			name: 'X'
		});
		expect(stale.status).toBe(409);
		expect(stale.body.error.field).toBe('version');
		const rows = await dbOf(server).select().from(auditLog).where(eq(auditLog.entityId, desk.centerId));
		expect(rows).toEqual([]);
	});

	it('making a centre reserved takes its queue away from an agent outside its groups at once', async () => {
		const [outsider, member] = await Promise.all([
			server.userWithRoles(['agent']),
			server.userWithRoles(['agent'])
		]);
		const desk = await createDesk(server, { groupA: [member] });
		const [outsiderSocket, memberSocket] = await Promise.all([outsider.socket(), member.socket()]);
		const { center } = await ok<{ center: DeskCenter }>('GET', `/api/desk-config/centers/${desk.centerId}`);
		const res = await send(admin, 'PATCH', `/api/desk-config/centers/${desk.centerId}`, {
			version: center.version,
			access: 'reserved'
		});
		expect(res.status).toBe(200);
		const visible = await (await outsider.fetch('/api/service-centers')).json();
		expect(visible.items.map((c: { id: string }) => c.id)).not.toContain(desk.centerId);
		// A ticket opened there now reaches the member's socket, not the outsider's.
		const heard: unknown[] = [];
		outsiderSocket.on('ticket:changed', (change) => heard.push(change));
		const memberHears = nextEvent(memberSocket, 'ticket:changed');
		const ticket = await send(admin, 'POST', '/api/tickets', {
			serviceCenterId: desk.centerId,
			customerId: desk.customerId,
			origin: 'phone',
			title: 'Dopo la riserva'
		});
		expect(ticket.status).toBe(201);
		expect(await memberHears).toMatchObject({ id: ticket.body.id, op: 'created' });
		expect(heard).toEqual([]);
	});
});
