import { expect, test, type Page } from '@playwright/test';
import { agentOnline, callView, registered, rigOfThisFile, screenshot, signIn } from './support';

/**
 * The keypad, auto-answer and several tabs of one agent, against Kamailio + rtpengine with sipp as
 * the caller: what the far side receives, and what the agent sees and hears.
 */
const rig = rigOfThisFile();

/** Answers the ringing call and presses keys on the in-call keypad, one click right after another. */
async function answerAndPress(page: Page, keys: string[]) {
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	await page.getByTestId('answer').click();
	await expect(callView(page)).toHaveAttribute('data-phase', 'active');
	await page.getByTestId('keypad').click();
	const pad = callView(page).getByTestId('dial-pad');
	for (const key of keys) await pad.getByRole('button', { name: key, exact: true }).click();
}

test('keypad during a call: the caller receives the digits pressed (SIP INFO where no RFC 4733 is negotiated)', async ({
	browser
}) => {
	const agent = await agentOnline(browser, rig(), 'agent1', '1001');
	const page = agent.page;
	// The caller offers no telephone-event: the digits go as INFO, and sipp checks each one.
	const call = await rig().startCall({
		to: '1001',
		from: '0611223344',
		displayName: 'Risponditore automatico',
		dtmfOverInfo: true,
		holdMs: 2500
	});
	await answerAndPress(page, ['1', '5', '#']);
	await screenshot(page, 'telephony-keypad-in-call');

	// sipp hangs up once no key came for the hold time.
	const result = await call.done;
	expect(result.ok).toBe(true);
	expect(result.dtmf).toEqual(['1', '5', '#']);
	await expect(callView(page)).toHaveAttribute('data-phase', 'ended');
	await agent.context.close();
});

test('keypad during a call: the digits travel in the media as RFC 4733 telephone-events when the caller offers them', async ({
	browser
}) => {
	const agent = await agentOnline(browser, rig(), 'agent1', '1001');
	const page = agent.page;
	// uac-call.xml offers telephone-event/8000 (payload 101) next to PCMA.
	const call = await rig().startCall({
		to: '1001',
		from: '0611223355',
		displayName: 'Centralino con menu',
		holdMs: 4000
	});
	// As fast as a hand on the keypad: each press comes before the previous tone (100 ms + 70 ms) ended.
	await answerAndPress(page, ['4', '2', '*']);

	// sipp hangs up after the hold time; rtpengine relayed the media and read the events in it.
	const result = await call.done;
	expect(result.ok).toBe(true);
	expect(result.dtmf).toEqual([]);
	const inMedia = rig().mediaDtmf(result.callId!);
	expect(inMedia.map((e) => e.digit)).toEqual(['4', '2', '*']);
	// Sent by the agent's side of the call, not the caller's, each a real tone.
	expect(result.callerTag).toBeTruthy();
	for (const event of inMedia) {
		expect(event.sourceTag).not.toBe(result.callerTag);
		expect(event.durationMs).toBeGreaterThanOrEqual(40);
	}
	await agent.context.close();
});

test('auto-answer: Call-Info answer-after answers for the agent who enabled it; the other keeps ringing', async ({
	browser
}) => {
	const one = await agentOnline(browser, rig(), 'agent1', '1001');
	const two = await agentOnline(browser, rig(), 'agent2', '1002');
	await one.page.getByText('Impostazioni audio').click();
	await one.page.getByTestId('auto-answer').check();
	await two.page.getByText('Impostazioni audio').click();
	await expect(two.page.getByTestId('auto-answer')).not.toBeChecked();

	const callInfo = 'Call-Info: <sip:pbx.test>;answer-after=1';
	const auto = await rig().startCall({ to: '1001', from: '0612340001', extraHeader: callInfo, holdMs: 1500 });
	const manual = await rig().startCall({
		to: '1002',
		from: '0612340002',
		extraHeader: callInfo,
		hangupBeforeAnswerMs: 4000
	});

	// agent1 sees the countdown, then the call is up without a click.
	await expect(one.page.getByText('Risposta automatica tra 1 s')).toBeVisible();
	await expect(callView(one.page)).toHaveAttribute('data-phase', 'active');
	const answered = await auto.done;
	expect(answered.answered).toBe(true);
	expect(answered.inviteStatuses).toContain(200);

	// agent2 did not enable it: still ringing well past the second asked for, until the caller gives up.
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'ringing');
	await expect(two.page.getByText('Risposta automatica tra 1 s')).toHaveCount(0);
	const missed = await manual.done;
	expect(missed.answered).toBe(false);
	expect(missed.finalStatus).toBe(487);
	await expect(callView(two.page)).toHaveAttribute('data-phase', 'ended');
	await one.context.close();
	await two.context.close();
});

test('two tabs of agent1: an incoming call rings in one tab only, and answering there clears the other', async ({
	browser
}) => {
	const agent = await signIn(browser, 'agent1');
	// The ringtone is WebAudio: count the audio contexts a tab has running.
	await agent.context.addInitScript(() => {
		const Original = window.AudioContext;
		const made: AudioContext[] = [];
		(window as unknown as { __sounding: () => number }).__sounding = () =>
			made.filter((context) => context.state !== 'closed').length;
		window.AudioContext = class extends Original {
			constructor(options?: AudioContextOptions) {
				super(options);
				made.push(this);
			}
		};
	});
	const first = agent.page;
	await first.goto('/agent');
	await registered(rig(), first, '1001');
	const second = await agent.context.newPage();
	await second.goto('/agent');
	await expect(second.getByRole('banner').getByTestId('sip-registration')).toHaveAttribute(
		'data-state',
		'registered',
		{ timeout: 15_000 }
	);
	await rig().waitForRegistration('1001', { count: 2 });

	const call = await rig().startCall({
		to: '1001',
		from: '0612340003',
		displayName: 'Due Schede',
		holdMs: 1500
	});
	await expect(callView(first)).toHaveAttribute('data-phase', 'ringing');
	await expect(callView(second)).toHaveAttribute('data-phase', 'ringing');
	await expect(callView(second)).toContainText('Squilla in un’altra scheda di questo operatore');
	await expect(callView(first)).not.toContainText('Squilla in un’altra scheda');
	const sounding = (page: Page) =>
		page.evaluate(() => (window as unknown as { __sounding: () => number }).__sounding());
	await expect.poll(() => sounding(first)).toBe(1);
	expect(await sounding(second)).toBe(0);
	await screenshot(second, 'telephony-other-tab-silent');

	await first.getByTestId('answer').click();
	await expect(callView(first)).toHaveAttribute('data-phase', 'active');
	await expect(callView(second)).toHaveAttribute('data-phase', 'ended');
	await expect.poll(() => sounding(first)).toBe(0);
	const result = await call.done;
	expect(result.answered).toBe(true);
	await agent.context.close();
});
