import {
	expect,
	test,
	type APIRequestContext,
	type Browser,
	type BrowserContext,
	type Page
} from '@playwright/test';
import { startRig, type Rig } from '../rig';

/** Helpers of the telephony e2e and the screen-pop benchmark. */

/**
 * A rig of the spec file's own: Kamailio, rtpengine and sipp started before its first test and
 * stopped after its last; the file's tests run in order, one after another. Call at the top of
 * the file; the function it returns gives the running rig.
 */
export function rigOfThisFile(): () => Rig {
	test.describe.configure({ mode: 'serial' });
	let rig: Rig | undefined;
	test.beforeAll(async () => {
		rig = await startRig();
	});
	test.afterAll(async () => {
		await rig?.stop();
	});
	return () => {
		if (!rig) throw new Error('the telephony rig is not running');
		return rig;
	};
}

/** The softphone's call view (ringing, in call, wrap-up). */
export const callView = (page: Page) => page.getByTestId('call-view');

export interface DemoCaller {
	customerId: string;
	companyName: string;
	/** How the PBX sends it: national format, digits only ("0212345678"). */
	pbxNumber: string;
	machines: number;
	openTickets: number;
}

export async function apiAs(request: APIRequestContext, username: string) {
	const res = await request.post('/api/auth/login', { data: { username, password: 'demo' } });
	expect(res.status()).toBe(200);
}

/** A demo customer with a landline and machines in the field (and open tickets when there are). */
export async function demoCaller(request: APIRequestContext): Promise<DemoCaller> {
	await apiAs(request, 'supervisor1');
	const list = await (await request.get('/api/customers?page=1&pageSize=60')).json();
	let fallback: DemoCaller | null = null;
	for (const summary of list.items as Array<{ id: string }>) {
		const customer = await (await request.get(`/api/customers/${summary.id}`)).json();
		const landline = (customer.phones as Array<{ e164: string; kind: string }>).find(
			(p) => p.kind === 'landline' && p.e164.startsWith('+39')
		);
		if (!landline || customer.machines.length === 0) continue;
		const card = await (await request.get(`/api/callers/card?customerId=${customer.id}`)).json();
		const caller = {
			customerId: customer.id,
			companyName: customer.companyName,
			pbxNumber: landline.e164.replace(/^\+39/, ''),
			machines: card.machines.length,
			openTickets: card.openTickets.length
		};
		if (caller.openTickets > 0) return caller;
		fallback ??= caller;
	}
	if (!fallback) throw new Error('no demo customer with a landline and machines');
	return fallback;
}

export async function signIn(
	browser: Browser,
	username: string
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext();
	// Lets the test read the phone's WebRTC counters (window.__softphone).
	await context.addInitScript(() => {
		window.__consoleTestHooks = true;
	});
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Nome utente').fill(username);
	await page.getByLabel('Password').fill('demo');
	await page.getByRole('button', { name: 'Accedi' }).click();
	await expect(page).not.toHaveURL(/\/login/);
	return { context, page };
}

export async function registered(rig: Rig, page: Page, extension: string) {
	await expect(page.getByRole('banner').getByTestId('sip-registration')).toHaveAttribute(
		'data-state',
		'registered',
		{
			timeout: 15_000
		}
	);
	await rig.waitForRegistration(extension);
}

export async function screenshot(page: Page, name: string) {
	await page.evaluate(() => document.fonts.ready);
	await page.waitForTimeout(250);
	await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export type PhoneStats = {
	connection: string;
	packetsReceived: number;
	packetsSent: number;
	iceUfrag: string | null;
};
export async function mediaStats(page: Page): Promise<PhoneStats> {
	return page.evaluate(() =>
		(window as unknown as { __softphone: { mediaStats(): Promise<PhoneStats> } }).__softphone.mediaStats()
	);
}

/** Audio flows both ways on the phone's current call: WebRTC counters, what the ear would tell. */
export async function expectAudioBothWays(page: Page, timeout = 15_000) {
	await expect
		.poll(
			async () => {
				const stats = await mediaStats(page);
				return stats.packetsReceived > 25 && stats.packetsSent > 25;
			},
			{ timeout }
		)
		.toBe(true);
}

/** An agent signed in on the agent screen, with the softphone registered at the PBX. */
export async function agentOnline(browser: Browser, rig: Rig, username: string, extension: string) {
	const agent = await signIn(browser, username);
	await agent.page.goto('/agent');
	await registered(rig, agent.page, extension);
	return agent;
}
