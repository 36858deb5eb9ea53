import { expect, test, type Page } from '@playwright/test';
import { agentOnline, callView, expectAudioBothWays, rigOfThisFile, screenshot } from './support';

/**
 * Transfers between browsers through Kamailio + rtpengine: agent2 calls agent1, agent1 passes the
 * call on to agent3 (1003), blind (REFER) or after a consultation (REFER with Replaces).
 */
const rig = rigOfThisFile();

/** agent2 calls agent1, who answers. */
async function agent2CallsAgent1(one: Page, two: Page) {
	await two.getByTestId('dial-input').fill('1001');
	await two.getByTestId('dial').click();
	await expect(callView(one)).toHaveAttribute('data-phase', 'ringing');
	await one.getByTestId('answer').click();
	await expect(callView(one)).toHaveAttribute('data-phase', 'active');
	await expect(callView(two)).toHaveAttribute('data-phase', 'active');
}

/** The transferor's phone is free again, and its call log says the call was transferred. */
async function transferorIsFree(one: Page) {
	await expect(callView(one)).toHaveAttribute('data-phase', 'ended');
	await expect(one.getByTestId('dial-input')).toBeVisible();
	await one.goto('/calls');
	const row = one.getByTestId('call-row').filter({ hasText: '1002' }).first();
	await expect(row.getByTestId('call-outcome')).toHaveText('Trasferita');
}

test('blind transfer: agent1 passes agent2 on to 1003, agent3 answers and talks with agent2, agent1 is free', async ({
	browser
}) => {
	const one = await agentOnline(browser, rig(), 'agent1', '1001');
	const two = await agentOnline(browser, rig(), 'agent2', '1002');
	const three = await agentOnline(browser, rig(), 'agent3', '1003');
	await agent2CallsAgent1(one.page, two.page);

	// The shortcut printed on the button opens the transfer form.
	await expect(one.page.getByTestId('transfer')).toContainText('Alt+T');
	await one.page.keyboard.press('Alt+T');
	await expect(one.page.getByTestId('transfer-target')).toBeFocused();
	await one.page.keyboard.type('1003');
	await screenshot(one.page, 'telephony-transfer-dialog');
	await one.page.getByTestId('blind-transfer').click();

	// agent2's phone follows the REFER: it calls 1003, whose phone rings with agent2 as the caller.
	await expect(callView(three.page)).toHaveAttribute('data-phase', 'ringing');
	await expect(callView(three.page)).toContainText('1002');
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'dialing');
	await expect(callView(two.page).getByTestId('call-remote')).toHaveText('1003');
	await expect(two.page.getByTestId('transferred-by')).toHaveText('Trasferita da 1001');
	await expect(callView(one.page)).toHaveAttribute('data-phase', 'ended');

	await three.page.getByTestId('answer').click();
	await expect(callView(three.page)).toHaveAttribute('data-phase', 'active');
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'active');
	await expectAudioBothWays(two.page);
	await expectAudioBothWays(three.page);
	await screenshot(two.page, 'telephony-transferred-call');

	await transferorIsFree(one.page);
	await two.page.getByTestId('hang-up').click();
	await expect(callView(three.page)).toHaveAttribute('data-phase', 'ended');
	for (const agent of [one, two, three]) await agent.context.close();
});

test('attended transfer: agent1 consults 1003 while agent2 waits, then joins them; agent1 is free', async ({
	browser
}) => {
	const one = await agentOnline(browser, rig(), 'agent1', '1001');
	const two = await agentOnline(browser, rig(), 'agent2', '1002');
	const three = await agentOnline(browser, rig(), 'agent3', '1003');
	await agent2CallsAgent1(one.page, two.page);

	await one.page.getByTestId('transfer').click();
	await one.page.getByTestId('transfer-target').fill('1003');
	await one.page.getByTestId('consult').click();
	// The caller waits on hold while agent1 talks to agent3.
	await expect(callView(one.page)).toHaveAttribute('data-phase', 'held');
	await expect(callView(three.page)).toHaveAttribute('data-phase', 'ringing');
	await expect(callView(three.page)).toContainText('1001');
	await three.page.getByTestId('answer').click();
	await expect(one.page.getByTestId('consult-status')).toHaveAttribute('data-phase', 'active');
	await expect(one.page.getByTestId('complete-transfer')).toBeEnabled();
	await screenshot(one.page, 'telephony-consult');

	await one.page.getByTestId('complete-transfer').click();
	// agent2 calls agent3 with Replaces: agent3's phone swaps the consult call for agent2, without ringing.
	await expect(three.page.getByTestId('transferred-by')).toHaveText('Trasferita da 1001');
	await expect(callView(three.page)).toHaveAttribute('data-phase', 'active');
	await expect(callView(three.page)).toContainText('1002');
	await expect(callView(two.page).getByTestId('call-remote')).toHaveText('1003');
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'active');
	await expect(two.page.getByTestId('transferred-by')).toHaveText('Trasferita da 1001');
	await expectAudioBothWays(two.page);
	await expectAudioBothWays(three.page);
	await screenshot(three.page, 'telephony-attended-transfer-target');

	await transferorIsFree(one.page);
	await three.page.getByTestId('hang-up').click();
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'ended');
	for (const agent of [one, two, three]) await agent.context.close();
});
