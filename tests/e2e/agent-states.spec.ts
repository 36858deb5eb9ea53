import { expect, test, type Page } from '@playwright/test';
import { signIn, waitForRealtime } from './support';

/*
 * Issue 17: the call log's operator panel showed signed-in agents as offline while the wallboard
 * counted them online. Both now read the agents' states (agent_states, kept by the softphone's
 * registration, the agent's choice and the calls); presence says only who is signed in.
 */

// An agent of this test's own (of this worker's, when repeated): no other test signs it in or
// out meanwhile.
const suffix = String(100 + Math.floor(Math.random() * 900));
const agent = { username: `paola.greco${suffix}`, displayName: 'Paola Greco', extension: `3${suffix}` };
const agentPassword = 'prova-stato-123';

test.beforeAll(async ({ playwright, baseURL }) => {
	const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
	expect(
		(await admin.post('/api/auth/login', { data: { username: 'admin', password: 'demo' } })).status()
	).toBe(200);
	// In agent1's team, so that supervisor1 watches it.
	const { items } = (await (await admin.get('/api/agent-states')).json()) as {
		items: Array<{ username: string; teamId: string | null }>;
	};
	const teamId = items.find((entry) => entry.username === 'agent1')?.teamId;
	const res = await admin.post('/api/admin/users', {
		data: {
			username: agent.username,
			displayName: agent.displayName,
			password: agentPassword,
			roles: ['agent'],
			sipExtension: agent.extension,
			teamId
		}
	});
	expect(res.status(), await res.text()).toBe(201);
	await admin.dispose();
});

const boardRow = (page: Page) =>
	page.locator(`[data-testid="agent-board-row"][data-username="${agent.username}"]`);

/** The agent's own choice, once the server holds it (a loaded machine may take a while). */
async function choose(desk: Page, value: string, state: string) {
	await desk.getByTestId('agent-state').selectOption(value);
	await expect
		.poll(
			async () =>
				((await (await desk.request.get('/api/agent-states/me')).json()) as { state: string }).state,
			{ timeout: 30_000 }
		)
		.toBe(state);
}

test('an agent who signs in and registers shows the same state on the call log and the wallboard', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const supervisor = await browser.newContext();
	const agentDesk = await browser.newContext();
	try {
		const desk = await agentDesk.newPage();
		await signIn(desk, agent.username, agentPassword);
		await expect(desk).toHaveURL('/agent');
		await expect(desk.getByRole('banner').getByTestId('sip-registration')).toHaveAttribute(
			'data-state',
			'registered'
		);

		const page = await supervisor.newPage();
		await signIn(page, 'supervisor1');
		await expect(page).toHaveURL('/wallboard');
		await waitForRealtime(page);
		// Signed in (presence) and available on the phone (agent state), on the wallboard...
		await expect(
			page.getByTestId('presence-list').locator(`li[data-username="${agent.username}"]`)
		).toBeVisible();
		await expect(boardRow(page)).toHaveAttribute('data-state', 'available');
		await expect(page.getByTestId('agent-state-count-available')).not.toHaveText('0');
		// ...and on the call log's panel.
		await page.goto('/calls');
		await waitForRealtime(page);
		await expect(boardRow(page)).toHaveAttribute('data-state', 'available');

		// A break shows on both, live.
		await choose(desk, 'break:coffee', 'break');
		await expect(boardRow(page)).toHaveAttribute('data-state', 'break');
		await page.goto('/wallboard');
		await expect(boardRow(page)).toHaveAttribute('data-state', 'break');
		await choose(desk, 'available', 'available');
		await expect(boardRow(page)).toHaveAttribute('data-state', 'available');

		// Closing the console: signed out and offline on both.
		await agentDesk.close();
		await expect(boardRow(page)).toHaveAttribute('data-state', 'offline');
		await expect(
			page.getByTestId('presence-list').locator(`li[data-username="${agent.username}"]`)
		).toHaveCount(0);
		await page.goto('/calls');
		await expect(boardRow(page)).toHaveAttribute('data-state', 'offline');
	} finally {
		await Promise.all([supervisor.close(), agentDesk.close()]);
	}
});
