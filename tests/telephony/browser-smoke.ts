/**
 * The rig with real browsers: sip.js in headless Chromium registers over WebSocket and talks
 * WebRTC through rtpengine. A reference for the Playwright tests, and a check of the media
 * paths that the sipp-only self-check cannot see (ICE, DTLS-SRTP, rtcp-mux).
 *   npx tsx tests/telephony/browser-smoke.ts           # on this host's loopback
 *   npx tsx tests/telephony/browser-smoke.ts --netns   # inside `unshare --net`, loopback only
 *
 * Chromium comes from Debian (/usr/bin/chromium, or CHROMIUM_PATH). It needs
 * --allow-loopback-in-peer-connection: WebRTC ignores the loopback interface otherwise, and
 * in a namespace with only `lo` the call would never connect.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { assert, Checklist, sleep } from './checklist.ts';
import { reexecInNetnsIfAsked, startRig, type Rig } from './rig.ts';

reexecInNetnsIfAsked();

/** The page's side: one sip.js UserAgent, auto-answer, and helpers the test calls. */
const PAGE_SCRIPT = `
import { Inviter, Registerer, SessionState, UserAgent } from 'sip.js';

const state = { session: undefined, invite: undefined };
const mediaOptions = { sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } };

window.agent = {
	async register(server, domain, extension, password) {
		const ua = new UserAgent({
			uri: UserAgent.makeURI('sip:' + extension + '@' + domain),
			transportOptions: { server },
			authorizationUsername: extension,
			authorizationPassword: password,
			logLevel: 'warn',
			delegate: {
				onInvite(invitation) {
					state.session = invitation;
					state.invite = {
						user: invitation.remoteIdentity.uri.user,
						displayName: invitation.remoteIdentity.displayName,
						pai: invitation.request.getHeader('P-Asserted-Identity')
					};
					invitation.accept(mediaOptions);
				}
			}
		});
		await ua.start();
		await new Registerer(ua).register();
		state.ua = ua;
	},
	async call(target, domain) {
		const inviter = new Inviter(state.ua, UserAgent.makeURI('sip:' + target + '@' + domain), mediaOptions);
		state.session = inviter;
		await inviter.invite();
	},
	invite: () => state.invite,
	async hold(hold) {
		const session = state.session;
		session.sessionDescriptionHandlerOptionsReInvite = { hold };
		let settled;
		const done = new Promise((resolve) => (settled = resolve));
		await session.invite({
			requestDelegate: { onAccept: () => settled('accepted'), onReject: (r) => settled('rejected ' + r.message.statusCode) }
		});
		return done;
	},
	async hangUp() {
		const session = state.session;
		if (session.state === SessionState.Established) await session.bye();
	},
	state: () => state.session?.state,
	async media() {
		const pc = state.session?.sessionDescriptionHandler?.peerConnection;
		if (!pc) return { connection: 'none', received: 0, sent: 0, direction: '' };
		const out = { connection: pc.connectionState, received: 0, sent: 0, direction: pc.getTransceivers()[0]?.currentDirection ?? '' };
		(await pc.getStats()).forEach((s) => {
			if (s.type === 'inbound-rtp' && s.kind === 'audio') out.received = s.packetsReceived;
			if (s.type === 'outbound-rtp' && s.kind === 'audio') out.sent = s.packetsSent;
		});
		return out;
	}
};
`;

interface PageMedia {
	connection: string;
	received: number;
	sent: number;
	direction: string;
}

const checklist = new Checklist();

async function main(): Promise<number> {
	console.log(
		`telephony browser smoke${process.env.RIG_IN_NETNS ? ' (in a network namespace with only lo)' : ''}`
	);
	const app = await serveApp();
	const rig = await startRig();
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			'--allow-loopback-in-peer-connection'
		]
	});
	try {
		const alice = await agentPage(browser, app, rig, '1001');
		const bob = await agentPage(browser, app, rig, '1002');
		await rig.waitForRegistration('1001');
		await rig.waitForRegistration('1002');

		await checklist.check(
			'inbound call from sipp: ring, answer, media, hold, resume, agent hangs up',
			async () => {
				const call = await rig.startCall({
					to: '1001',
					from: '+390212345678',
					displayName: 'Mario Rossi',
					holdMs: 30000
				});
				const media = await waitForMedia(alice);
				const invite = await alice.evaluate(() => window.agent.invite());
				assert(
					invite?.user === '+390212345678' && invite.displayName === 'Mario Rossi',
					`caller ${JSON.stringify(invite)}`
				);
				assert(String(invite.pai).includes('sip:+390212345678@'), `PAI ${invite.pai}`);
				const held = await alice.evaluate(() => window.agent.hold(true));
				const heldMedia = await alice.evaluate(() => window.agent.media());
				assert(
					held === 'accepted' && heldMedia.direction === 'sendonly',
					`hold: ${held}, ${heldMedia.direction}`
				);
				const resumed = await alice.evaluate(() => window.agent.hold(false));
				const resumedMedia = await alice.evaluate(() => window.agent.media());
				assert(
					resumed === 'accepted' && resumedMedia.direction === 'sendrecv',
					`resume: ${resumed}, ${resumedMedia.direction}`
				);
				await alice.evaluate(() => window.agent.hangUp());
				const result = await call.done;
				assert(result.ok && result.endedBy === 'callee', `sipp ${JSON.stringify(result)}`);
				await sleep(200);
				const streams = rig.mediaStats(result.callId!).filter((s) => !s.rtcp);
				assert(
					streams.length === 2 && streams.every((s) => s.packets > 20),
					`rtpengine ${JSON.stringify(streams)}`
				);
				return `browser got ${media.received} packets; rtpengine ${streams.map((s) => `${s.protocol} ${s.packets}`).join(', ')}`;
			}
		);

		await checklist.check('agent to agent (WebSocket to WebSocket)', async () => {
			await alice.evaluate(([domain]) => window.agent.call('1002', domain), [rig.domain]);
			const [a, b] = await Promise.all([waitForMedia(alice), waitForMedia(bob)]);
			await alice.evaluate(() => window.agent.hangUp());
			await waitForState(bob, 'Terminated');
			return `1001 got ${a.received}, 1002 got ${b.received} packets`;
		});

		await checklist.check('agent calls a phone number (out through the trunk to sipp)', async () => {
			const customer = await rig.startTrunkCallee({ answerAfterMs: 300 });
			await bob.evaluate(([domain]) => window.agent.call('+390612345678', domain), [rig.domain]);
			// The customer echoes the audio, so 1002 hears its own fake microphone back.
			const media = await waitForMedia(bob);
			await bob.evaluate(() => window.agent.hangUp());
			const run = await customer.done;
			assert(run.ok, `trunk callee exit ${run.exitCode}, ${run.messageLog}`);
			return `1002 got ${media.received} packets back`;
		});
	} finally {
		await browser.close();
		await rig.stop();
		app.server.close();
	}
	return checklist.report();
}

declare global {
	interface Window {
		agent: {
			register(server: string, domain: string, extension: string, password: string): Promise<void>;
			call(target: string, domain: string): Promise<void>;
			invite(): { user: string; displayName: string; pai: string | undefined } | undefined;
			hold(hold: boolean): Promise<string>;
			hangUp(): Promise<void>;
			state(): string | undefined;
			media(): Promise<PageMedia>;
		};
	}
}

/** Serves the page and its bundled sip.js on loopback: getUserMedia needs a secure context. */
async function serveApp(): Promise<{ url: string; server: Server }> {
	const bundle = await build({
		stdin: { contents: PAGE_SCRIPT, resolveDir: process.cwd() },
		bundle: true,
		format: 'iife',
		write: false,
		logLevel: 'error'
	});
	const script = bundle.outputFiles[0].text;
	const server = createServer((request, response) => {
		if (request.url === '/agent.js') {
			response.setHeader('content-type', 'text/javascript');
			response.end(script);
			return;
		}
		response.setHeader('content-type', 'text/html');
		response.end('<!doctype html><title>agent</title><script src="/agent.js"></script>');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

async function agentPage(browser: Browser, app: { url: string }, rig: Rig, extension: string): Promise<Page> {
	const page = await browser.newPage();
	page.on('pageerror', (error) => console.log(`[${extension}] page error: ${error.message}`));
	await page.goto(app.url);
	const password = rig.agents.find((a) => a.extension === extension)!.password;
	await page.evaluate(
		([server, domain, ext, pass]) => window.agent.register(server, domain, ext, pass),
		[rig.wsUrl, rig.domain, extension, password]
	);
	return page;
}

/** Waits until the page's call is connected and has received audio. */
async function waitForMedia(page: Page, timeoutMs = 15000): Promise<PageMedia> {
	const deadline = Date.now() + timeoutMs;
	let media: PageMedia = { connection: 'none', received: 0, sent: 0, direction: '' };
	while (Date.now() < deadline) {
		media = await page.evaluate(() => window.agent.media());
		if (media.connection === 'connected' && media.received > 25 && media.sent > 25) return media;
		await sleep(200);
	}
	throw new Error(`no media: ${JSON.stringify(media)}`);
}

async function waitForState(page: Page, state: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if ((await page.evaluate(() => window.agent.state())) === state) return;
		await sleep(100);
	}
	throw new Error(`session never reached ${state}`);
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	}
);
