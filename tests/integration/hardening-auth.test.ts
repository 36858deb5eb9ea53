import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/test-server';

// Issue 19: what an attack on the running console found in sign-in, addresses and sockets.
const maxFailures = 5;
let server: TestServer;
beforeAll(async () => {
	// One trusted proxy: the right-most X-Forwarded-For entry is the client's address.
	server = await startTestServer({
		env: { LOGIN_MAX_FAILURES: String(maxFailures), TRUST_PROXY: 'true' }
	});
});
afterAll(() => server?.close());

/** A login as it reaches us through our proxy, which appended `forwardedFor`'s last entry. */
const login = (body: { username: string; password: string }, forwardedFor: string) =>
	fetch(`${server.url}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.origin, 'x-forwarded-for': forwardedFor },
		body: JSON.stringify(body)
	});

const countOf = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('login throttle', () => {
	it('checks at most LOGIN_MAX_FAILURES passwords of a burst, and still lets the user in from elsewhere', async () => {
		const agent = await server.userWithRoles(['agent']);
		const burst = await Promise.all(
			Array.from({ length: 40 }, () => login({ username: agent.username, password: 'wrong' }, '10.3.0.1'))
		);
		const statuses = burst.map((r) => r.status);
		expect(countOf(statuses, 401)).toBe(maxFailures);
		expect(countOf(statuses, 429)).toBe(40 - maxFailures);
		// The attacker's address is slowed down, not the account.
		const blocked = await login({ username: agent.username, password: 'test-password' }, '10.3.0.1');
		expect(blocked.status).toBe(429);
		const elsewhere = await login({ username: agent.username, password: 'test-password' }, '10.3.0.2');
		expect(elsewhere.status).toBe(200);
	});

	it('limits one address across usernames, even when the left-most X-Forwarded-For rotates', async () => {
		const attempts = await Promise.all(
			Array.from({ length: maxFailures * 4 + 6 }, (_, i) =>
				login(
					{ username: `nobody-${randomBytes(4).toString('hex')}`, password: 'wrong' },
					// The client's own header, forged afresh each time, then the address our proxy saw.
					`203.0.113.${i}, 10.4.0.1`
				)
			)
		);
		const statuses = attempts.map((r) => r.status);
		expect(countOf(statuses, 401)).toBe(maxFailures * 4);
		expect(countOf(statuses, 429)).toBe(6);
	});
});

describe('logs', () => {
	it('keep the password hash of a failed user insert out of the log', async () => {
		const admin = await server.userWithRoles(['admin']);
		const written: string[] = [];
		const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
			written.push(String(chunk));
			return true;
		});
		try {
			// A team that does not exist: the insert fails on its foreign key, after hashing.
			const res = await admin.fetch('/api/admin/users', {
				method: 'POST',
				json: {
					username: `leak-${randomBytes(3).toString('hex')}`,
					displayName: 'Leak',
					password: 'a-long-password',
					roles: ['agent'],
					teamId: randomUUID()
				}
			});
			expect(res.status).toBe(500);
		} finally {
			stderr.mockRestore();
		}
		const logged = written.join('');
		expect(logged).toContain('request failed');
		expect(logged).toContain('Failed query: insert into');
		expect(logged).not.toContain('scrypt$');
	});
});
