import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, nextEvent, startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ env: { LOGIN_MAX_FAILURES: '3' } });
});
afterAll(() => server?.close());

const login = (body: unknown) =>
	fetch(`${server.url}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.origin },
		body: JSON.stringify(body)
	});

describe('login', () => {
	it('answers 400 naming the field for a malformed body', async () => {
		const res = await login({ username: 'x' });
		expect(res.status).toBe(400);
		const body = await res.json();
		expect(body.error.code).toBe('bad_request');
		expect(body.error.field).toBe('password');
	});

	it('answers 400 for a body that is not JSON', async () => {
		const res = await fetch(`${server.url}/api/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.origin },
			body: '{nope'
		});
		expect(res.status).toBe(400);
		expect((await res.json()).error.code).toBe('bad_request');
	});

	it('answers 401 for a wrong password and sets an httpOnly SameSite=Lax cookie on success', async () => {
		const agent = await server.userWithRoles(['agent']);
		expect((await login({ username: agent.username, password: 'wrong' })).status).toBe(401);
		const ok = await login({ username: agent.username, password: 'test-password' });
		expect(ok.status).toBe(200);
		const cookie = ok.headers.getSetCookie()[0];
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		const { user } = await ok.json();
		expect(user).toMatchObject({ username: agent.username, roles: ['agent'] });
	});

	it('rate-limits repeated failures for one username', async () => {
		const agent = await server.userWithRoles(['agent']);
		for (let i = 0; i < 3; i++)
			expect((await login({ username: agent.username, password: 'bad' })).status).toBe(401);
		const blocked = await login({ username: agent.username, password: 'test-password' });
		expect(blocked.status).toBe(429);
	});

	it('ends the session on logout', async () => {
		const agent = await server.userWithRoles(['agent']);
		expect((await agent.fetch('/api/me')).status).toBe(200);
		expect((await agent.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
		expect((await agent.fetch('/api/me')).status).toBe(401);
	});
});

describe('session probe', () => {
	it('answers who is signed in, and null rather than 401 without a session (issue 17)', async () => {
		const nobody = await fetch(`${server.url}/api/auth/session`);
		expect(nobody.status).toBe(200);
		expect(await nobody.json()).toEqual({ user: null });
		const agent = await server.userWithRoles(['agent']);
		const signedIn = await agent.fetch('/api/auth/session');
		expect(signedIn.status).toBe(200);
		expect((await signedIn.json()).user).toMatchObject({ id: agent.userId, username: agent.username });
		expect((await agent.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
		const ended = await agent.fetch('/api/auth/session');
		expect(ended.status).toBe(200);
		expect(await ended.json()).toEqual({ user: null });
	});
});

describe('authorisation', () => {
	it('refuses an admin API to an agent with 403 and to a stranger with 401', async () => {
		const agent = await server.userWithRoles(['agent']);
		expect((await agent.fetch('/api/admin/users')).status).toBe(403);
		expect((await fetch(`${server.url}/api/admin/users`)).status).toBe(401);
		const admin = await server.userWithRoles(['admin']);
		expect((await admin.fetch('/api/admin/users')).status).toBe(200);
	});
});

describe('socket handshake', () => {
	it('refuses a foreign Origin even with a valid session', async () => {
		const agent = await server.userWithRoles(['agent']);
		await expect(
			connectSocket(server.origin, agent.cookie, [], { origin: 'http://evil.example' })
		).rejects.toThrow();
	});

	it('refuses a socket without a session', async () => {
		await expect(connectSocket(server.origin, '')).rejects.toThrow(/unauthorized/);
	});

	it('pushes presence to the supervisors of the person’s team only, and disconnects a disabled account', async () => {
		const supervisor = await server.userWithRoles(['supervisor']);
		const agent = await server.userWithRoles(['agent']);
		const admin = await server.userWithRoles(['admin']);
		// The supervisor manages a team; the newcomer works in a team below it. A socket's scope
		// is settled at its handshake, so the teams exist before it connects.
		const managed = await server.team({ managerId: supervisor.userId });
		const below = await server.team({ parentId: managed });
		const supervisorSocket = await supervisor.socket();
		const agentSocket = await agent.socket();
		const agentHeard: unknown[] = [];
		agentSocket.on('presence:changed', (e) => agentHeard.push(e));

		const otherSupervisor = await server.userWithRoles(['supervisor']);
		await server.team({ managerId: otherSupervisor.userId });
		const otherSocket = await otherSupervisor.socket();
		const otherHeard: unknown[] = [];
		otherSocket.on('presence:changed', (e) => otherHeard.push(e));

		const newcomer = await server.userWithRoles(['agent'], { teamId: below });
		const seen = nextEvent(supervisorSocket, 'presence:changed');
		const newcomerSocket = await newcomer.socket();
		expect(await seen).toMatchObject({ username: newcomer.username, online: true, teamId: below });
		const listed = await (await supervisor.fetch('/api/presence')).json();
		expect(listed.items.map((i: { username: string }) => i.username)).toEqual([newcomer.username]);
		const othersList = await (await otherSupervisor.fetch('/api/presence')).json();
		expect(othersList.items).toEqual([]);

		const ended = nextEvent(newcomerSocket, 'session:ended');
		const disconnected = new Promise((r) => newcomerSocket.once('disconnect', r));
		const users = await (await admin.fetch('/api/admin/users')).json();
		const target = users.items.find((u: { id: string }) => u.id === newcomer.userId);
		const res = await admin.fetch(`/api/admin/users/${newcomer.userId}`, {
			method: 'PATCH',
			json: { version: target.version, disabled: true }
		});
		expect(res.status).toBe(200);
		expect(await ended).toEqual({ reason: 'disabled' });
		await disconnected;
		expect((await newcomer.fetch('/api/me')).status).toBe(401);
		expect(agentHeard).toEqual([]);
		// A supervisor of an unrelated team hears nothing of it either.
		expect(otherHeard).toEqual([]);
	});
});
