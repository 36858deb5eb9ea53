import { expect, test, type Browser, type Page } from '@playwright/test';
import { screenshot } from './support';
import { chromiumArgs, chromiumPath, fakeMediaArgs } from '../support/chromium';

/**
 * Calls out of the box: no PBX is configured, so the console's demo switchboard (/sip) carries
 * the softphones, and a simulated customer (a WebRTC peer in the server that speaks a recorded
 * Italian greeting) calls. Two agents of their own, made here, so no other spec's tab rings.
 */
test.use({ launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs, ...fakeMediaArgs] } });
test.describe.configure({ mode: 'serial' });

// Playwright's console runs on a database of its own, made for this run: fixed names are free.
const agents = {
	first: { username: 'giulia.ferri', extension: '2101' },
	second: { username: 'marco.gallo', extension: '2102' }
};
const agentPassword = 'prova-demo-123';

test.beforeAll(async ({ playwright, baseURL }) => {
	const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
	expect(
		(await admin.post('/api/auth/login', { data: { username: 'admin', password: 'demo' } })).status()
	).toBe(200);
	for (const [name, agent] of Object.entries(agents)) {
		const res = await admin.post('/api/admin/users', {
			data: {
				username: agent.username,
				displayName: name === 'first' ? 'Giulia Ferri' : 'Marco Gallo',
				password: agentPassword,
				roles: ['agent'],
				sipExtension: agent.extension
			}
		});
		expect(res.status(), await res.text()).toBe(201);
	}
	await admin.dispose();
});

const callView = (page: Page) => page.getByTestId('call-view');

async function agentDesk(browser: Browser, username: string) {
	const context = await browser.newContext();
	await context.addInitScript(() => {
		window.__consoleTestHooks = true;
	});
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Nome utente').fill(username);
	await page.getByLabel('Password').fill(agentPassword);
	await page.getByRole('button', { name: 'Accedi' }).click();
	await expect(page).toHaveURL(/\/agent/);
	// Registered on the demo switchboard, and available by that (the desk sets it).
	await expect(page.getByRole('banner').getByTestId('sip-registration')).toHaveAttribute(
		'data-state',
		'registered'
	);
	return { context, page };
}

async function heardAudio(page: Page) {
	await expect
		.poll(
			() =>
				page.evaluate(async () => {
					const phone = (
						window as unknown as { __softphone: { mediaStats(): Promise<{ audioEnergy: number }> } }
					).__softphone;
					return (await phone.mediaStats()).audioEnergy;
				}),
			{ timeout: 15_000 }
		)
		.toBeGreaterThan(0);
}

/** The agent asks for a test call: it rings with the customer's card; returns the customer. */
async function testCall(page: Page) {
	const started = page.waitForResponse(
		(r) => r.url().endsWith('/api/demo/calls') && r.request().method() === 'POST'
	);
	await page.getByTestId('demo-call').click();
	const response = await started;
	expect(response.status()).toBe(202);
	const call = (await response.json()) as { from: string; customerId: string };
	const customer = await (await page.request.get(`/api/customers/${call.customerId}`)).json();
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	// The card pops while it still rings.
	await expect(page.getByTestId('landing-customer-name')).toHaveText(customer.companyName);
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	return customer as { companyName: string };
}

test('a simulated customer calls: the card pops while it rings, the agent hears the caller, the log keeps the call', async ({
	browser
}) => {
	const agent = await agentDesk(browser, agents.first.username);
	const customer = await testCall(agent.page);
	await screenshot(agent.page, 'demo-call-ringing');
	await agent.page.getByTestId('answer').click();
	await expect(callView(agent.page)).toHaveAttribute('data-phase', 'active');
	await heardAudio(agent.page);
	// The level meter moves with the customer's voice.
	await expect
		.poll(() => agent.page.getByTestId('level-heard').evaluate((m) => (m as HTMLMeterElement).value), {
			timeout: 15_000
		})
		.toBeGreaterThan(0.05);
	await screenshot(agent.page, 'demo-call-talking');
	await agent.page.getByTestId('hang-up').click();
	await expect(callView(agent.page)).toHaveAttribute('data-phase', 'ended');

	await agent.page.goto('/calls');
	const row = agent.page.getByTestId('call-row').filter({ hasText: customer.companyName }).first();
	await expect(row.getByTestId('call-outcome')).toHaveText('Risposta');
	await agent.context.close();
});

test('attended transfer between two demo agents: the customer ends up talking to the second', async ({
	browser
}) => {
	const first = await agentDesk(browser, agents.first.username);
	const second = await agentDesk(browser, agents.second.username);
	const customer = await testCall(first.page);
	await first.page.getByTestId('answer').click();
	await expect(callView(first.page)).toHaveAttribute('data-phase', 'active');

	await first.page.getByTestId('transfer').click();
	await first.page.getByTestId('transfer-target').fill(agents.second.extension);
	await first.page.getByTestId('consult').click();
	await expect(callView(first.page)).toHaveAttribute('data-phase', 'held');
	await expect(callView(second.page)).toHaveAttribute('data-phase', 'ringing');
	await second.page.getByTestId('answer').click();
	await expect(first.page.getByTestId('complete-transfer')).toBeEnabled();
	await first.page.getByTestId('complete-transfer').click();

	// The customer calls the second agent with Replaces: no ringing, the card switches to them.
	await expect(second.page.getByTestId('transferred-by')).toHaveText(
		`Trasferita da ${agents.first.extension}`
	);
	await expect(callView(second.page)).toHaveAttribute('data-phase', 'active');
	await expect(second.page.getByTestId('landing-customer-name')).toHaveText(customer.companyName);
	await heardAudio(second.page);
	await expect(callView(first.page)).toHaveAttribute('data-phase', 'ended');
	await screenshot(second.page, 'demo-call-transferred');
	await second.page.getByTestId('hang-up').click();
	await expect(callView(second.page)).toHaveAttribute('data-phase', 'ended');
	for (const agent of [first, second]) await agent.context.close();
});

test('/demo/phone: a supervisor calls an agent as a demo customer, with the microphone', async ({
	browser
}) => {
	const agent = await agentDesk(browser, agents.first.username);
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Nome utente').fill('supervisor1');
	await page.getByLabel('Password').fill('demo');
	await page.getByRole('button', { name: 'Accedi' }).click();
	await expect(page).not.toHaveURL(/\/login/);
	await page.goto('/demo/phone');
	await page.getByTestId('demo-phone-search').fill('Albergo');
	await page
		.getByRole('button', { name: /Albergo/ })
		.first()
		.click();
	const companyName = await page.getByTestId('demo-phone-caller').textContent();
	await page.getByTestId('demo-phone-extension').selectOption(agents.first.extension);
	await page.getByTestId('demo-phone-call').click();

	await expect(callView(agent.page)).toHaveAttribute('data-phase', 'ringing');
	await expect(agent.page.getByTestId('landing-customer-name')).toHaveText(companyName!);
	await agent.page.getByTestId('answer').click();
	await expect(page.getByTestId('demo-phone-phase')).toHaveAttribute('data-phase', 'talking');
	// Chromium's fake microphone (a tone) reaches the agent.
	await heardAudio(agent.page);
	await screenshot(page, 'demo-phone');
	await agent.page.getByTestId('hang-up').click();
	await expect(page.getByTestId('demo-phone-phase')).toHaveAttribute('data-phase', 'ended');
	await agent.context.close();
	await context.close();
});

test('/sip opens no socket without a session', async ({ page }) => {
	await page.goto('/login');
	const outcome = await page.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/sip`, 'sip');
				ws.onopen = () => resolve('open');
				ws.onclose = () => resolve('refused');
			})
	);
	expect(outcome).toBe('refused');
});
