import { expect, test } from '@playwright/test';
import { agentOnline, callView, expectAudioBothWays, mediaStats, rigOfThisFile, screenshot } from './support';

/**
 * What an agent on a call lives through when the network does not behave: the PBX connection
 * drops mid-call, the console tab is in the background when the phone rings.
 */
const rig = rigOfThisFile();

test('the PBX connection drops mid-call: the softphone registers again, restarts ICE and the call keeps its audio', async ({
	browser
}) => {
	const agent = await agentOnline(browser, rig(), 'agent1', '1001');
	const page = agent.page;
	// Each re-INVITE restarts sipp's hold time; the agent hangs up at the end anyway.
	const call = await rig().startCall({
		to: '1001',
		from: '0612349876',
		displayName: 'Linea Instabile',
		holdMs: 30_000
	});
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	await page.getByTestId('answer').click();
	await expect(callView(page)).toHaveAttribute('data-phase', 'active');
	await expectAudioBothWays(page);
	const before = await mediaStats(page);
	expect(before.iceUfrag).not.toBeNull();

	await rig().restartKamailio();
	const registration = page.getByRole('banner').getByTestId('sip-registration');
	await expect(registration).toHaveAttribute('data-state', 'registered', { timeout: 15_000 });
	// The re-INVITE with ICE restart went through the new connection and was answered: new ICE
	// credentials on the agent's side, and the audio still flows both ways afterwards.
	await expect
		.poll(async () => (await mediaStats(page)).iceUfrag, { timeout: 15_000 })
		.not.toBe(before.iceUfrag);
	const restarted = await mediaStats(page);
	await expect
		.poll(
			async () => {
				const now = await mediaStats(page);
				return Math.min(
					now.packetsReceived - restarted.packetsReceived,
					now.packetsSent - restarted.packetsSent
				);
			},
			{ timeout: 15_000 }
		)
		.toBeGreaterThan(50);
	await expect(callView(page)).toHaveAttribute('data-phase', 'active');

	await page.getByTestId('hang-up').click();
	await expect(callView(page)).toHaveAttribute('data-phase', 'ended');
	const result = await call.done;
	expect(result.answered).toBe(true);
	expect(result.endedBy).toBe('callee');
	await agent.context.close();
});

test('a call rings while the console is in a background tab: the agent gets a browser notification', async ({
	browser
}) => {
	const agent = await agentOnline(browser, rig(), 'agent1', '1001');
	await agent.context.grantPermissions(['notifications']);
	const page = agent.page;
	// What the operating system would show: record each notification the page creates.
	await page.evaluate(() => {
		const shown: string[] = [];
		const Original = window.Notification;
		(window as unknown as { __notifications: string[] }).__notifications = shown;
		window.Notification = class extends Original {
			constructor(title: string, options?: NotificationOptions) {
				super(title, options);
				shown.push(`${title} | ${options?.body ?? ''}`);
			}
		} as typeof Notification;
	});
	// The agent switches to another application. Headless Chromium keeps every page visible
	// (neither another tab in front nor a minimised window changes it), so the page is told it
	// is hidden the way the browser would tell it: visibilityState and a visibilitychange event.
	const setVisibility = (state: 'hidden' | 'visible') =>
		page.evaluate((value) => {
			Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
			Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
			document.dispatchEvent(new Event('visibilitychange'));
		}, state);
	await setVisibility('hidden');

	const call = await rig().startCall({
		to: '1001',
		from: '0612345500',
		displayName: 'Chiamata In Background',
		hangupBeforeAnswerMs: 4000
	});
	await expect
		.poll(() => page.evaluate(() => (window as unknown as { __notifications: string[] }).__notifications))
		.toEqual([expect.stringContaining('Chiamata In Background')]);
	await setVisibility('visible');
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	await screenshot(page, 'telephony-ringing-after-notification');
	expect((await call.done).finalStatus).toBe(487);
	await agent.context.close();
});
