import { expect, test, type Page } from '@playwright/test';
import {
	fakeHeadsetName,
	installFakeHeadset,
	ledReports,
	leds,
	pressHeadset,
	removeWebHid
} from './fake-headset';
import { callView, registered, rigOfThisFile, screenshot, signIn } from './support';

/**
 * Headset call control (WebHID) against Kamailio + rtpengine with a sipp caller: the headset is a
 * WebHID look-alike in the page (headless Chromium has no HID devices), everything else is real.
 */
const rig = rigOfThisFile();

const panel = (page: Page) => page.getByTestId('softphone-panel');

test('headset buttons: the hook switch answers and hangs up, mute toggles mute; the LEDs follow the call', async ({
	browser
}) => {
	const agent = await signIn(browser, 'agent1');
	await installFakeHeadset(agent.context);
	const page = agent.page;
	await page.goto('/agent');
	await registered(rig(), page, '1001');

	await panel(page).getByText('Impostazioni audio').click();
	await panel(page).getByRole('button', { name: 'Collega cuffia (WebHID)' }).click();
	await expect(panel(page).getByText(`Cuffia collegata: ${fakeHeadsetName}`)).toBeVisible();
	await expect(panel(page).getByTestId('headset-fallback')).toHaveCount(0);
	// Pairing puts the LEDs in line with the (idle) phone.
	await expect.poll(() => leds(page)).toEqual({ mute: false, offHook: false, ring: false });
	await screenshot(page, 'telephony-headset-paired');
	// A press with no call does nothing, and leaves the headset on hook for the next call.
	await pressHeadset(page, 'hook');
	await expect(callView(page)).toHaveCount(0);
	await expect.poll(() => leds(page)).toEqual({ mute: false, offHook: false, ring: false });

	const call = await rig().startCall({
		to: '1001',
		from: '0612340005',
		displayName: 'Cliente in cuffia',
		holdMs: 30_000
	});
	await expect(callView(page)).toHaveAttribute('data-phase', 'ringing');
	await expect.poll(() => leds(page)).toEqual({ mute: false, offHook: false, ring: true });

	await pressHeadset(page, 'hook');
	await expect(callView(page)).toHaveAttribute('data-phase', 'active');
	await expect.poll(() => leds(page)).toEqual({ mute: false, offHook: true, ring: false });

	const mute = callView(page).getByTestId('mute');
	await pressHeadset(page, 'mute');
	await expect(mute).toHaveAttribute('aria-pressed', 'true');
	await expect.poll(() => leds(page)).toEqual({ mute: true, offHook: true, ring: false });
	await pressHeadset(page, 'mute');
	await expect(mute).toHaveAttribute('aria-pressed', 'false');
	await expect.poll(() => leds(page)).toEqual({ mute: false, offHook: true, ring: false });

	await pressHeadset(page, 'hook');
	await expect(callView(page)).toHaveAttribute('data-phase', 'ended');
	const result = await call.done;
	expect(result.answered).toBe(true);
	expect(result.inviteStatuses).toContain(200);
	expect(result.endedBy).toBe('callee');
	await expect.poll(() => leds(page)).toEqual({ mute: false, offHook: false, ring: false });
	// The headset saw the whole call (ring, off-hook, mute): idle, ringing, straight off hook on the
	// answer, muted, unmuted, back on hook.
	const states = (await ledReports(page)).map((l) => `${+l.ring}${+l.offHook}${+l.mute}`);
	const changes = states.filter((state, i) => state !== states[i - 1]);
	expect(changes).toEqual(['000', '100', '010', '011', '010', '000']);
	await agent.context.close();
});

test('a browser without WebHID: the panel says so and points to the keyboard shortcuts', async ({
	browser
}) => {
	const agent = await signIn(browser, 'agent1');
	await removeWebHid(agent.context);
	const page = agent.page;
	await page.goto('/agent');
	await panel(page).getByText('Impostazioni audio').click();
	await expect(panel(page).getByTestId('headset-fallback')).toHaveText(
		'Questo browser non supporta WebHID: usa le scorciatoie da tastiera (Chrome o Edge sul desktop gestiscono i tasti della cuffia)'
	);
	await expect(panel(page).getByRole('button', { name: 'Collega cuffia (WebHID)' })).toHaveCount(0);
	await agent.context.close();
});
