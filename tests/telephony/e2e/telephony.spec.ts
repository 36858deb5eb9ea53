import { expect, test } from '@playwright/test';
import { formatPhone } from '../../../src/lib/phone/format-phone';
import {
	callView,
	demoCaller,
	expectAudioBothWays,
	mediaStats,
	registered,
	rigOfThisFile,
	screenshot,
	signIn
} from './support';

/**
 * The telephony of the console against a real SIP server and real callers: Kamailio + rtpengine
 * + sipp on loopback, agents in Chromium with fake media, the console with the demo company.
 */
const rig = rigOfThisFile();

test('inbound call from a customer: landing card while ringing, answer, call log, supervisor sees the agent', async ({
	browser,
	request
}) => {
	const caller = await demoCaller(request);
	const supervisor = await signIn(browser, 'supervisor1');
	await supervisor.page.goto('/calls?view=all');
	const agentRow = supervisor.page.locator('[data-testid="agent-board-row"][data-username="agent1"]');

	const agent = await signIn(browser, 'agent1');
	await agent.page.goto('/agent');
	await registered(rig(), agent.page, '1001');
	await expect(agentRow).toHaveAttribute('data-state', 'available');

	const call = await rig().startCall({
		to: '1001',
		from: caller.pbxNumber,
		displayName: 'Centralino cliente',
		holdMs: 4000
	});
	const page = agent.page;
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	const card = page.getByTestId('landing-card');
	await expect(card.getByTestId('landing-customer-name')).toHaveText(caller.companyName);
	await expect(card.getByTestId('landing-machines').locator('tbody tr')).toHaveCount(caller.machines);
	if (caller.openTickets > 0)
		await expect(card.getByTestId('landing-ticket')).toHaveCount(caller.openTickets);
	// Still ringing: the card came before the answer.
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	await expect(agentRow).toHaveAttribute('data-state', 'ringing');
	await screenshot(page, 'telephony-ringing-landing-card');

	await page.getByTestId('answer').click();
	await expect(callView(page)).toHaveAttribute('data-phase', 'active');
	await expect(agentRow).toHaveAttribute('data-state', 'on_call');
	await expect(page.getByTestId('call-timer')).toHaveText(/0:0[1-9]/);
	await screenshot(page, 'telephony-in-call');

	const result = await call.done;
	expect(result.answered).toBe(true);
	expect(result.inviteStatuses).toContain(200);
	expect(result.endedBy).toBe('caller');
	await expect(callView(page)).toHaveAttribute('data-phase', 'ended');
	await expect(agentRow).toHaveAttribute('data-state', 'wrap_up');

	await page.getByTestId('wrap-up-disposition').selectOption('resolved');
	await page.getByTestId('wrap-up-save').click();
	await expect(agentRow).toHaveAttribute('data-state', 'available');

	await page.goto('/calls');
	const row = page.getByTestId('call-row').first();
	await expect(row).toContainText(caller.companyName);
	await expect(row.getByTestId('call-outcome')).toHaveText('Risposta');
	await expect(row.getByTestId('call-talk')).toHaveText(/^0:0[3-6]$/);
	await expect(supervisor.page.getByTestId('call-row').first()).toContainText(caller.companyName);
	await supervisor.context.close();
	await agent.context.close();
});

test('unknown number: quick-create card; unanswered: missed-calls list with call back', async ({
	browser
}) => {
	const agent = await signIn(browser, 'agent1');
	const page = agent.page;
	await page.goto('/agent');
	await registered(rig(), page, '1001');

	const unknown = `06${String(Date.now()).slice(-8)}`;
	// The console shows every number in one format: "06 1234 5678".
	const shown = formatPhone(unknown);
	const call = await rig().startCall({
		to: '1001',
		from: unknown,
		displayName: 'Giulia Sconosciuti',
		hangupBeforeAnswerMs: 4000
	});
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	await expect(page.getByTestId('quick-create')).toBeVisible();
	await expect(page.getByTestId('quick-create-number')).toHaveText(shown);
	await expect(page.getByLabel('Cognome')).toHaveValue('Sconosciuti');
	await screenshot(page, 'telephony-quick-create');
	const result = await call.done;
	expect(result.finalStatus).toBe(487);

	await page.goto('/calls/missed');
	const row = page.getByTestId('missed-calls').getByTestId('call-row').filter({ hasText: shown });
	await expect(row).toHaveCount(1);
	await expect(row.getByTestId('call-outcome')).toHaveText('Persa');
	await screenshot(page, 'telephony-missed-calls');
	await row.getByTestId('mark-handled').click();
	await expect(row).toHaveCount(0);
	await agent.context.close();
});

test('browser to browser: agent1 calls agent2, audio flows both ways, hold stops it and resume brings it back', async ({
	browser
}) => {
	const one = await signIn(browser, 'agent1');
	const two = await signIn(browser, 'agent2');
	await one.page.goto('/agent');
	await two.page.goto('/agent');
	await registered(rig(), one.page, '1001');
	await registered(rig(), two.page, '1002');
	// The audio settings list the (fake) devices for microphone, speaker and ringer.
	await one.page.getByText('Impostazioni audio').click();
	await expect(one.page.locator('details.settings select')).toHaveCount(3);
	await screenshot(one.page, 'telephony-audio-settings');

	await one.page.getByTestId('dial-input').fill('1002');
	await one.page.getByTestId('dial').click();
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'ringing');
	await two.page.getByTestId('answer').click();
	await expect(callView(one.page)).toHaveAttribute('data-phase', 'active');

	for (const side of [one.page, two.page]) await expectAudioBothWays(side);

	// Hold: agent1's re-INVITE puts the media on hold through Kamailio and rtpengine, so agent2
	// stops sending; resume brings the audio back.
	await one.page.getByTestId('hold').click();
	await expect(callView(one.page)).toHaveAttribute('data-phase', 'held');
	await expect(one.page.getByTestId('hold')).toHaveAttribute('aria-pressed', 'true');
	await one.page.waitForTimeout(1000);
	const heldFrom = (await mediaStats(one.page)).packetsReceived;
	await one.page.waitForTimeout(2000);
	expect((await mediaStats(one.page)).packetsReceived - heldFrom).toBeLessThan(10);

	await one.page.getByTestId('hold').click();
	await expect(callView(one.page)).toHaveAttribute('data-phase', 'active');
	await expect
		.poll(async () => (await mediaStats(one.page)).packetsReceived - heldFrom, { timeout: 10_000 })
		.toBeGreaterThan(50);

	await one.page.getByTestId('mute').click();
	await expect(one.page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
	await one.page.getByTestId('mute').click();
	await expect(one.page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'false');

	await one.page.getByTestId('hang-up').click();
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'ended');
	await one.context.close();
	await two.context.close();
});

test('Kamailio restarts: the softphone registers again within 10 s', async ({ browser }) => {
	const agent = await signIn(browser, 'agent1');
	await agent.page.goto('/agent');
	await registered(rig(), agent.page, '1001');
	const restarted = Date.now();
	await rig().restartKamailio();
	await rig().waitForRegistration('1001', { timeoutMs: 10_000 - (Date.now() - restarted) });
	await expect(agent.page.getByRole('banner').getByTestId('sip-registration')).toHaveAttribute(
		'data-state',
		'registered',
		{
			timeout: Math.max(1000, 10_000 - (Date.now() - restarted))
		}
	);
	expect(Date.now() - restarted).toBeLessThan(10_000);
	await agent.context.close();
});
