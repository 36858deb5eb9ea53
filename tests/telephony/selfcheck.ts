/**
 * Proves the SIP rig works, without a browser:
 *   npx tsx tests/telephony/selfcheck.ts           # on this host's loopback
 *   npx tsx tests/telephony/selfcheck.ts --netns   # inside `unshare --net`, loopback only
 *
 * Starts the rig, registers sipp agents over UDP and a minimal SIP-over-WebSocket client (what
 * sip.js does), places answered, missed and failed calls with sipp, checks the media went
 * through rtpengine, restarts Kamailio and checks it comes back, then stops everything.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { assert, Checklist, sleep } from './checklist.ts';
import {
	agentTable,
	DEFAULT_AGENTS,
	reexecInNetnsIfAsked,
	startRig,
	webSocketUpgrade,
	type Rig
} from './rig.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

reexecInNetnsIfAsked();

const checklist = new Checklist();
const check = checklist.check.bind(checklist);

async function main(): Promise<number> {
	console.log(
		`telephony self-check${process.env.RIG_IN_NETNS ? ' (in a network namespace with only lo)' : ''}`
	);

	await check('the committed agents table is what the rig generates', async () => {
		const committed = readFileSync(join(HERE, 'kamailio', 'db', 'agents'), 'utf8');
		assert(
			committed === agentTable(DEFAULT_AGENTS),
			'kamailio/db/agents differs from agentTable(DEFAULT_AGENTS)'
		);
	});

	let rig: Rig | undefined;
	await check('rig starts (rtpengine, kamailio)', async () => {
		rig = await startRig();
		return `ws ${rig.wsUrl}, udp ${rig.sipUdpPort}, domain ${rig.domain}, logs ${rig.logDir}`;
	});
	if (!rig) return checklist.report();
	const r = rig;

	try {
		await check('WebSocket upgrade answers with subprotocol sip', async () => {
			const answer = await webSocketUpgrade(r.wsPort);
			assert(answer.ok, `got "${answer.status}", protocol ${answer.protocol}`);
			return answer.status;
		});

		await check(
			'answered call: sipp -> Kamailio -> UDP agent 1001, media both ways through rtpengine',
			async () => {
				const agent = await r.startUdpAgent({ extension: '1001', answerAfterMs: 300 });
				await r.waitForRegistration('1001');
				const call = await r.placeCall({
					to: '1001',
					from: '+390212345678',
					displayName: 'Mario Rossi',
					holdMs: 2000
				});
				const agentRun = await agent.done;
				assert(call.ok && call.answered, `call ${JSON.stringify(call)}`);
				assert(call.endedBy === 'caller', `ended by ${call.endedBy}`);
				assert(agentRun.ok, `agent exit ${agentRun.exitCode}, ${agentRun.messageLog}`);
				const invite = readFileSync(agentRun.messageLog, 'utf8');
				assert(/^From: "Mario Rossi" <sip:\+390212345678@/m.test(invite), 'From not passed to the agent');
				assert(
					/^P-Asserted-Identity: "Mario Rossi" <sip:\+390212345678@/m.test(invite),
					'PAI not passed to the agent'
				);
				const media = await waitForMedia(r, call.callId!);
				const rtp = media.filter((m) => !m.rtcp);
				assert(rtp.length === 2 && rtp.every((m) => m.packets > 40), `media ${JSON.stringify(media)}`);
				await agent.stop();
				return `statuses ${call.inviteStatuses.join(',')}; rtp packets ${rtp.map((m) => m.packets).join('/')}`;
			}
		);

		await check('missed call: the caller cancels while 1002 rings', async () => {
			const agent = await r.startUdpAgent({ extension: '1002', behaviour: 'ring' });
			const call = await r.placeCall({
				to: '1002',
				from: '+390611112222',
				pai: null,
				hangupBeforeAnswerMs: 1500
			});
			const agentRun = await agent.done;
			assert(call.ok && !call.answered && call.finalStatus === 487, `call ${JSON.stringify(call)}`);
			assert(agentRun.ok, `agent exit ${agentRun.exitCode}, ${agentRun.messageLog}`);
			const invite = readFileSync(agentRun.messageLog, 'utf8');
			assert(!/^P-Asserted-Identity:/m.test(invite), 'PAI sent although pai: null');
			await agent.stop();
			return `statuses ${call.inviteStatuses.join(',')}`;
		});

		await check('call to an extension nobody registered fails with 404', async () => {
			const call = await r.placeCall({ to: '1003', from: '+390299998888', holdMs: 500 });
			assert(!call.ok && !call.answered && call.finalStatus === 404, `call ${JSON.stringify(call)}`);
		});

		await check('WebSocket agent 1004: digest REGISTER, WebRTC offer from rtpengine, busy', async () => {
			const client = await WsSipClient.connect(r.wsUrl);
			try {
				await client.register('1004', 'demo-sip-1004', r.domain);
				const contacts = await r.waitForRegistration('1004');
				assert(
					contacts.some((c) => c.includes('transport=ws')),
					`contacts ${contacts.join(', ')}`
				);
				const running = await r.startCall({
					to: '1004',
					from: '+390212345678',
					displayName: 'Mario Rossi',
					holdMs: 500
				});
				const invite = await client.nextRequest('INVITE', 10000);
				const sdp = invite.slice(invite.indexOf('\r\n\r\n') + 4);
				for (const [what, pattern] of Object.entries({
					'DTLS-SRTP profile': /^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m,
					'ICE candidate': /^a=candidate:.* 127\.0\.0\.1 /m,
					'ICE credentials': /^a=ice-ufrag:/m,
					fingerprint: /^a=fingerprint:sha-256 /m,
					'rtcp-mux': /^a=rtcp-mux/m,
					'DTLS role': /^a=setup:(passive|actpass)/m,
					mid: /^a=mid:/m,
					PCMA: /^a=rtpmap:8 PCMA\/8000/m
				})) {
					assert(pattern.test(sdp), `offer to the browser lacks ${what}:\n${sdp}`);
				}
				assert(!/^a=crypto:/m.test(sdp), 'offer to the browser carries SDES keys');
				assert(/^P-Asserted-Identity: "Mario Rossi" <sip:\+390212345678@/m.test(invite), 'PAI not passed');
				client.reply(invite, 180, 'Ringing');
				client.reply(invite, 486, 'Busy Here');
				const call = await running.done;
				assert(!call.answered && call.finalStatus === 486, `call ${JSON.stringify(call)}`);
			} finally {
				client.close();
			}
			// A closed tab must not keep its registration (usrloc handle_lost_tcp).
			const deadline = Date.now() + 5000;
			while ((await r.registeredContacts('1004')).length > 0) {
				assert(Date.now() < deadline, 'registration of 1004 survived its WebSocket');
				await sleep(100);
			}
			return 'registration dropped with the WebSocket';
		});

		await check('Kamailio restarts and serves calls again', async () => {
			const before = r.kamailioPid;
			const agent = await r.startUdpAgent({ extension: '1005' });
			await r.restartKamailio();
			assert(r.kamailioPid !== before, 'same pid after restart');
			assert((await r.registeredContacts('1005')).length === 0, 'registrations survived the restart');
			await agent.stop();
			const again = await r.startUdpAgent({ extension: '1005' });
			const call = await r.placeCall({ to: '1005', from: '+390212345678', holdMs: 1000 });
			assert(call.ok && call.answered, `call ${JSON.stringify(call)}`);
			await again.done;
			await again.stop();
			return `pid ${before} -> ${r.kamailioPid}`;
		});
	} finally {
		const pids = [r.kamailioPid, r.rtpenginePid];
		await check('rig stops its processes', async () => {
			await r.stop();
			const alive = pids.filter((pid) => {
				try {
					process.kill(pid, 0);
					return true;
				} catch {
					return false;
				}
			});
			assert(alive.length === 0, `still running: ${alive.join(', ')}`);
		});
	}
	return checklist.report();
}

async function waitForMedia(rig: Rig, callId: string) {
	for (let i = 0; i < 30; i++) {
		const media = rig.mediaStats(callId);
		if (media.length > 0) return media;
		await sleep(100);
	}
	return [];
}

/** Just enough SIP over WebSocket to register with digest and answer an INVITE, as sip.js would. */
class WsSipClient {
	private readonly host = `${randomBytes(4).toString('hex')}.invalid`;
	private readonly inbox: string[] = [];
	private waiters: (() => void)[] = [];
	private cseq = 1;

	private constructor(private readonly socket: WebSocket) {
		socket.on('message', (data: WebSocket.RawData) => {
			this.inbox.push(data.toString());
			for (const wake of this.waiters.splice(0)) wake();
		});
	}

	static connect(url: string): Promise<WsSipClient> {
		return new Promise((resolve, reject) => {
			const socket = new WebSocket(url, 'sip');
			socket.once('open', () => resolve(new WsSipClient(socket)));
			socket.once('error', reject);
		});
	}

	async register(user: string, password: string, domain: string): Promise<void> {
		const callId = randomBytes(8).toString('hex');
		const fromTag = randomBytes(4).toString('hex');
		const uri = `sip:${domain}`;
		const send = (authorization?: string) =>
			this.send(
				[
					`REGISTER ${uri} SIP/2.0`,
					`Via: SIP/2.0/WSS ${this.host};branch=z9hG4bK${randomBytes(6).toString('hex')}`,
					'Max-Forwards: 70',
					`To: <sip:${user}@${domain}>`,
					`From: <sip:${user}@${domain}>;tag=${fromTag}`,
					`Call-ID: ${callId}`,
					`CSeq: ${this.cseq++} REGISTER`,
					`Contact: <sip:${user}@${this.host};transport=ws>;expires=600`,
					'Expires: 600',
					...(authorization ? [`Authorization: ${authorization}`] : []),
					'Content-Length: 0',
					'',
					''
				].join('\r\n')
			);
		send();
		const challenge = await this.nextResponse('REGISTER', 5000);
		assert(challenge.startsWith('SIP/2.0 401'), `expected 401, got ${firstLine(challenge)}`);
		const header = /^WWW-Authenticate:\s*Digest (.*)$/im.exec(challenge)?.[1] ?? '';
		const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1] ?? '';
		const realm = param('realm');
		const nonce = param('nonce');
		const qop = param('qop') ? 'auth' : '';
		const cnonce = randomBytes(8).toString('hex');
		const nc = '00000001';
		const md5 = (s: string) => createHash('md5').update(s).digest('hex');
		const ha1 = md5(`${user}:${realm}:${password}`);
		const ha2 = md5(`REGISTER:${uri}`);
		const response = qop
			? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`)
			: md5(`${ha1}:${nonce}:${ha2}`);
		send(
			`Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5` +
				(qop ? `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"` : '')
		);
		const ok = await this.nextResponse('REGISTER', 5000);
		assert(ok.startsWith('SIP/2.0 200'), `REGISTER answered ${firstLine(ok)}`);
	}

	nextRequest(method: string, timeoutMs: number): Promise<string> {
		return this.next((m) => m.startsWith(`${method} `), timeoutMs, method);
	}

	nextResponse(method: string, timeoutMs: number): Promise<string> {
		return this.next(
			(m) => m.startsWith('SIP/2.0 ') && new RegExp(`^CSeq:\\s*\\d+ ${method}`, 'im').test(m),
			timeoutMs,
			`response to ${method}`
		);
	}

	reply(request: string, status: number, reason: string): void {
		const headers = request.slice(0, request.indexOf('\r\n\r\n')).split('\r\n');
		const copy = headers.filter((h) => /^(Via|From|Call-ID|CSeq|Record-Route):/i.test(h));
		const to = headers.find((h) => /^To:/i.test(h)) ?? '';
		this.send(
			[
				`SIP/2.0 ${status} ${reason}`,
				...copy,
				/;tag=/.test(to) ? to : `${to};tag=${this.host.slice(0, 8)}`,
				`Contact: <sip:agent@${this.host};transport=ws>`,
				'Content-Length: 0',
				'',
				''
			].join('\r\n')
		);
	}

	close(): void {
		this.socket.close();
	}

	private send(message: string): void {
		this.socket.send(message);
	}

	private async next(match: (message: string) => boolean, timeoutMs: number, what: string): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const index = this.inbox.findIndex(match);
			if (index >= 0) return this.inbox.splice(index, 1)[0];
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}
}

function firstLine(message: string): string {
	return message.split('\r\n', 1)[0];
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	}
);
