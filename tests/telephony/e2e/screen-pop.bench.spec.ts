import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startRig, type Rig } from '../rig';
import { demoCaller, registered, signIn } from './support';

/**
 * Benchmark, not a check: from the moment sipp sends the INVITE to the landing card showing the
 * customer's name, over TELEPHONY_BENCH_CALLS calls. Run by `npm run bench -- telephony`.
 */
const calls = Number(process.env.TELEPHONY_BENCH_CALLS ?? 0);

let rig: Rig;
test.beforeAll(async () => {
	if (calls) rig = await startRig();
});
test.afterAll(async () => {
	await rig?.stop();
});

/** sipp's message trace: "----- 2026-11-22 09:15:21.071743" then "UDP message sent" and the INVITE. */
function inviteSentAt(messageLog: string): number {
	const text = readFileSync(messageLog, 'utf8');
	const match =
		/-{10,} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3})\d*\s+UDP message sent[^\n]*\n\s*INVITE /.exec(
			text
		);
	if (!match) throw new Error(`no INVITE in ${messageLog}`);
	// sipp writes local time, as the browser's Date.now() is read on this machine.
	return new Date(`${match[1]}T${match[2]}`).getTime();
}

test('screen pop: INVITE sent to landing card rendered', async ({ browser, request }) => {
	test.setTimeout(calls * 15_000 + 120_000);
	const caller = await demoCaller(request);
	const { context, page } = await signIn(browser, 'agent1');
	page.on('console', (message) => {
		if (message.type() === 'warning' || message.type() === 'error') console.log(`[agent1] ${message.text()}`);
	});
	await page.goto('/agent');
	await registered(rig, page, '1001');
	// The instant each new landing card shows the customer's name.
	await page.evaluate(() => {
		const pops: number[] = [];
		(window as unknown as { __pops: number[] }).__pops = pops;
		new MutationObserver(() => {
			const name = document.querySelector<HTMLElement>(
				'[data-testid="landing-customer-name"]:not([data-seen])'
			);
			if (!name) return;
			name.dataset.seen = '1';
			pops.push(Date.now());
		}).observe(document.body, { subtree: true, childList: true });
	});
	const pops = () => page.evaluate(() => (window as unknown as { __pops: number[] }).__pops);

	const samples: number[] = [];
	const breakdown: Array<Record<string, unknown>> = [];
	for (let i = 0; i < calls; i++) {
		const before = (await pops()).length;
		const call = await rig.startCall({ to: '1001', from: caller.pbxNumber, hangupBeforeAnswerMs: 700 });
		await expect
			.poll(async () => (await pops()).length, { timeout: 10_000, intervals: [20] })
			.toBe(before + 1);
		const renderedAt = (await pops())[before];
		const result = await call.done;
		const sentAt = inviteSentAt(result.messageLog);
		samples.push(renderedAt - sentAt);
		// Where the time goes: SIP path to the browser, the two API calls, rendering.
		const api = await page.evaluate(() =>
			performance
				.getEntriesByType('resource')
				.filter((e) => e.name.includes('/api/callers/'))
				.slice(-1)
				.map((e) => ({
					name: e.name.split('?')[0].split('/').pop(),
					start: performance.timeOrigin + e.startTime,
					ms: e.duration
				}))
		);
		breakdown.push({
			total: renderedAt - sentAt,
			sipToRequest: Math.round((api[0]?.start ?? 0) - sentAt),
			api: api.map((e) => `${e.name} ${Math.round(e.ms)}`).join(', '),
			render: Math.round(renderedAt - ((api.at(-1)?.start ?? 0) + (api.at(-1)?.ms ?? 0)))
		});
		await expect(page.getByTestId('call-view')).toHaveAttribute('data-phase', 'ended');
	}
	mkdirSync('test-results/telephony', { recursive: true });
	writeFileSync('test-results/telephony/screen-pop.json', JSON.stringify(samples));
	writeFileSync('test-results/telephony/screen-pop-breakdown.json', JSON.stringify(breakdown, null, 1));
	await context.close();
});
