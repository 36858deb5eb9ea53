import { expect, test, type Page } from '@playwright/test';
import { exposeSocket, screenshot, signIn, waitForRealtime } from './support';

test('an agent gets 403 from an administrators-only API', async ({ page }) => {
	await signIn(page, 'agent1');
	const users = await page.request.get('/api/admin/users');
	expect(users.status()).toBe(403);
	expect((await users.json()).error.code).toBe('forbidden');
	expect((await page.request.get('/api/presence')).status()).toBe(403);
});

/** Records every event the page's socket receives, whatever the transport. */
async function recordSocketEvents(page: Page) {
	await page.evaluate(() => {
		const received: string[] = [];
		Object.assign(window, { __received: received });
		window.__consoleSocket!.onAny((event: string) => received.push(event));
	});
}

const receivedEvents = (page: Page) =>
	page.evaluate(() => (window as unknown as { __received: string[] }).__received);

test('presence reaches supervisors only, never an agent', async ({ browser }) => {
	const supervisorContext = await browser.newContext();
	const agentContext = await browser.newContext();
	const newcomerContext = await browser.newContext();
	await exposeSocket(agentContext);
	try {
		const supervisor = await supervisorContext.newPage();
		await signIn(supervisor, 'supervisor1');
		await expect(supervisor).toHaveURL('/wallboard');
		await waitForRealtime(supervisor);

		const agent = await agentContext.newPage();
		// Raw frames too: nothing named presence may cross the agent's wire, on any transport.
		const agentFrames: string[] = [];
		agent.on('websocket', (ws) => ws.on('framereceived', (frame) => agentFrames.push(String(frame.payload))));
		agent.on('response', async (response) => {
			if (response.url().includes('/socket.io/') && response.request().method() === 'GET') {
				agentFrames.push(await response.text().catch(() => ''));
			}
		});
		await signIn(agent, 'agent2');
		await waitForRealtime(agent);
		await recordSocketEvents(agent);

		// A third user connects: the supervisor's wallboard shows them live.
		const newcomer = await newcomerContext.newPage();
		await signIn(newcomer, 'tech7');
		await waitForRealtime(newcomer);
		await expect(supervisor.getByTestId('presence-list').locator('li[data-username="tech7"]')).toBeVisible();
		await expect(supervisor.getByTestId('presence-list').locator('li[data-username="agent2"]')).toBeVisible();
		await screenshot(supervisor, 'wallboard-live');

		// Positive control: the agent's socket does receive what agents may hear (a customer change).
		const { items } = await (await supervisor.request.get('/api/customers?page=2&pageSize=1')).json();
		const customer = await (await supervisor.request.get(`/api/customers/${items[0].id}`)).json();
		const patched = await supervisor.request.patch(`/api/customers/${customer.id}`, {
			data: { version: customer.version, notes: `Verificato dal supervisore (${Date.now()})` }
		});
		expect(patched.status()).toBe(200);
		await expect.poll(() => receivedEvents(agent)).toContain('entity:changed');

		// The newcomer leaves: the supervisor sees it, the agent still hears nothing of it.
		await newcomerContext.close();
		await expect(supervisor.getByTestId('presence-list').locator('li[data-username="tech7"]')).toHaveCount(0);
		expect(await receivedEvents(agent)).not.toContain('presence:changed');
		expect(agentFrames.join('\n')).not.toContain('presence:changed');
	} finally {
		await Promise.all([supervisorContext.close(), agentContext.close(), newcomerContext.close()]);
	}
});

test('disabling an account ends its open session at once', async ({ browser }) => {
	const adminContext = await browser.newContext();
	const userContext = await browser.newContext();
	try {
		const user = await userContext.newPage();
		await signIn(user, 'tech20');
		await waitForRealtime(user);

		const admin = await adminContext.newPage();
		await signIn(admin, 'admin');
		const row = admin.getByTestId('users-table').locator('tr[data-username="tech20"]');
		await row.getByTestId('toggle-user').click();
		await expect(row.getByText('Disattivato')).toBeVisible();

		// The server pushes session:ended: the technician is back on the sign-in page.
		await expect(user).toHaveURL('/login?reason=ended');
		await expect(user.getByTestId('login-error')).toHaveText('La sessione è terminata: accedi di nuovo');

		await row.getByTestId('toggle-user').click();
		await expect(row.getByText('Attivo', { exact: true })).toBeVisible();
	} finally {
		await Promise.all([adminContext.close(), userContext.close()]);
	}
});

test('the Socket.IO handshake refuses a foreign Origin, and a missing session', async ({
	request,
	baseURL
}) => {
	const handshake = '/socket.io/?EIO=4&transport=polling';
	const foreign = await request.get(handshake, { headers: { Origin: 'http://evil.example' } });
	expect([400, 403]).toContain(foreign.status());

	// The right Origin without a session cookie: the transport opens, the namespace connect is refused.
	const origin = new URL(baseURL!).origin;
	const connectReply = async () => {
		const open = await request.get(handshake, { headers: { Origin: origin } });
		expect(open.status()).toBe(200);
		const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };
		const url = `${handshake}&sid=${encodeURIComponent(sid)}`;
		const sent = await request.post(url, {
			headers: { Origin: origin, 'Content-Type': 'text/plain;charset=UTF-8' },
			data: '40'
		});
		expect(sent.status()).toBe(200);
		return (await request.get(url, { headers: { Origin: origin } })).text();
	};
	expect(await connectReply()).toContain('44{"message":"unauthorized"}');

	// Positive control: with the session cookie the same exchange connects.
	const login = await request.post('/api/auth/login', { data: { username: 'agent3', password: 'demo' } });
	expect(login.status()).toBe(200);
	expect(await connectReply()).toMatch(/^40\{"sid"/);
});
