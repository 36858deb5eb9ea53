/**
 * The SIP rig for end-to-end telephony tests: a real Kamailio (registrar and proxy, WebSocket
 * for the agents' browsers, UDP for the calling side) and rtpengine (WebRTC <-> RTP media) on
 * loopback, plus sipp to place inbound calls.
 *
 *   const rig = await startRig();
 *   // sip.js registers as 1001 at rig.wsUrl, domain rig.domain, password 'demo-sip-1001'
 *   await rig.waitForRegistration('1001');
 *   const call = await rig.placeCall({ to: '1001', from: '+390212345678', displayName: 'Mario Rossi' });
 *   await rig.stop();
 *
 * Every process is started by this module, in its own process group, and stopped by its pid.
 * Logs and runtime files go to rig.logDir (a fresh temporary directory unless given).
 * Works inside `unshare --net` (only `lo`, after `ip link set lo up`).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import {
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	writeFileSync
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const KAMAILIO_CFG = join(HERE, 'kamailio', 'kamailio.cfg');
const SCENARIOS = join(HERE, 'sipp');
const INSTALL_DEPS = join(HERE, 'install-deps.sh');
const LOOPBACK = '127.0.0.1';
const AUDIO_FILE = 'rig-audio.wav';

/** The demo agents: extension 1001..1005, password demo-sip-<extension>. */
export const DEFAULT_AGENTS: ReadonlyArray<Agent> = ['1001', '1002', '1003', '1004', '1005'].map(
	(extension) => ({
		extension,
		password: `demo-sip-${extension}`
	})
);

export interface Agent {
	extension: string;
	password: string;
}

export interface RigOptions {
	/** WebSocket listener of Kamailio (ws://127.0.0.1:PORT). Default 5066. */
	wsPort?: number;
	/** UDP listener of Kamailio, where sipp sends calls. Default 5062. */
	sipUdpPort?: number;
	/** UDP port where agents' outbound calls to phone numbers go (see startTrunkCallee). Default 5070. */
	trunkPort?: number;
	/** rtpengine control (ng protocol) port. Default 22223. */
	rtpengineNgPort?: number;
	/** RTP/RTCP port range of rtpengine. Default 30000..30100. */
	rtpPortMin?: number;
	rtpPortMax?: number;
	/** SIP domain (and digest realm) of the agents. A name, not an IP address. Default 'pbx.test'. */
	domain?: string;
	/** Agents allowed to register. Default DEFAULT_AGENTS. */
	agents?: ReadonlyArray<Agent>;
	/** Where logs and runtime files go. Default: a new directory under the OS temp dir. */
	logDir?: string;
	/** Kamailio's log level (-1..3; 3 logs every message step). Default 2. */
	kamailioLogLevel?: number;
	/** Run install-deps.sh when a binary is missing (needs root and the Debian mirror). Default true. */
	installMissing?: boolean;
	/** How long each daemon may take to become ready. Default 15000 ms. */
	startupTimeoutMs?: number;
}

export interface PlaceCallOptions {
	/** The extension called, e.g. '1001'. */
	to: string;
	/** The caller's number, put in From (and in P-Asserted-Identity unless `pai` says otherwise). */
	from: string;
	/** Display name in From and P-Asserted-Identity. Default: none. */
	displayName?: string;
	/** Number in P-Asserted-Identity. Default: `from`. `null`: send no P-Asserted-Identity. */
	pai?: string | null;
	/**
	 * How long the call lasts after the answer before sipp hangs up (ms). Default 3000. Each
	 * re-INVITE from the agent (hold, resume) starts it again; the agent may also hang up first.
	 */
	holdMs?: number;
	/** Hang up (CANCEL) after ringing this long, before any answer: a missed call. */
	hangupBeforeAnswerMs?: number;
	/** Give up after this long (ms), ringing included. Default: 60 s plus the hold or ring time. */
	timeoutMs?: number;
	/** One more header line in the INVITE, e.g. 'Call-Info: <sip:pbx.test>;answer-after=1'. */
	extraHeader?: string;
	/**
	 * Offer no telephone-event (RFC 4733), so the agent's keypad falls back to SIP INFO
	 * (application/dtmf-relay); the call answers each INFO and reports the digits in `dtmf`.
	 */
	dtmfOverInfo?: boolean;
}

export interface CallResult {
	/** sipp ran the scenario to its end: answered and hung up, or cancelled as asked. */
	ok: boolean;
	/** sipp's exit code: 0 all good, 1 the call failed, 97 rejected (see finalStatus), null if killed. */
	exitCode: number | null;
	/** A 200 OK to the INVITE arrived. */
	answered: boolean;
	/** The final response to the INVITE (200, 404, 480, 487...), if any. */
	finalStatus?: number;
	/** Every response to the INVITE, in order (100, 180, 200...). */
	inviteStatuses: number[];
	/** Who sent the BYE, when the call was answered. */
	endedBy?: 'caller' | 'callee';
	/** Call-ID of the call, to look up its media with rig.mediaStats() and rig.mediaDtmf(). */
	callId?: string;
	/** The caller's From tag (rtpengine names the caller's side of the media by it). */
	callerTag?: string;
	/** Digits that arrived in SIP INFO (application/dtmf-relay "Signal="), in order. */
	dtmf: string[];
	/** sipp's message trace and its screen/error output. */
	messageLog: string;
	outputLog: string;
}

export interface RunningCall {
	pid: number;
	/** Resolves when sipp exits. Never rejects. */
	done: Promise<CallResult>;
	/** Kills sipp (the call is left to time out on the other side). */
	kill(): void;
}

/** How a sipp UAS (agent or trunk callee) behaves. */
export interface UasOptions {
	/** 'answer': rings, answers after answerAfterMs and echoes the audio. 'ring': rings until cancelled. */
	behaviour?: 'answer' | 'ring';
	/** Ring time before the answer. Default 500 ms. */
	answerAfterMs?: number;
	/** Calls to take before the process exits. Default 1. */
	calls?: number;
}

export interface UdpAgentOptions extends UasOptions {
	extension: string;
	/** Password; default: the rig's password for the extension. */
	password?: string;
}

export interface TrunkCallee {
	pid: number;
	/** Resolves when sipp exits (after `calls` calls). ok: every call went as scripted. */
	done: Promise<{ ok: boolean; exitCode: number | null; messageLog: string }>;
	stop(): Promise<void>;
}

export interface UdpAgent {
	extension: string;
	pid: number;
	/** Resolves when the agent's sipp exits (after `calls` calls). ok: every call went as scripted. */
	done: Promise<{ ok: boolean; exitCode: number | null; messageLog: string }>;
	/** Unregisters and kills the agent. */
	stop(): Promise<void>;
}

export interface RtpStreamStats {
	/** Tag of the party this side of rtpengine talks to (the From or To tag). */
	tag: string;
	/** e.g. 'RTP/AVP' or 'UDP/TLS/RTP/SAVPF'. */
	protocol: string;
	codec: string;
	local: string;
	remote: string;
	/** Packets and bytes rtpengine received from `remote`. */
	packets: number;
	bytes: number;
	errors: number;
	rtcp: boolean;
}

/** An RFC 4733 telephone-event that rtpengine found in a call's media (sent at its end). */
export interface MediaDtmf {
	/** '0'..'9', '*', '#', 'A'..'D'. */
	digit: string;
	/** Tag of the party that sent it (the To tag for the called agent). */
	sourceTag: string;
	/** How long the tone lasted, from the event's duration field. */
	durationMs: number;
}

export interface Rig {
	/** ws://127.0.0.1:PORT, for sip.js (subprotocol 'sip'). */
	readonly wsUrl: string;
	readonly wsPort: number;
	readonly sipUdpPort: number;
	readonly trunkPort: number;
	readonly host: string;
	readonly domain: string;
	readonly agents: ReadonlyArray<Agent>;
	readonly logDir: string;
	readonly kamailioLog: string;
	readonly rtpengineLog: string;
	readonly kamailioPid: number;
	readonly rtpenginePid: number;
	/** Places an inbound call with sipp and resolves when sipp exits. */
	placeCall(options: PlaceCallOptions): Promise<CallResult>;
	/** Like placeCall, but hands back the running sipp at once (e.g. to answer in the browser meanwhile). */
	startCall(options: PlaceCallOptions): Promise<RunningCall>;
	/** Registers a sipp UAS over UDP as an agent (for tests without a browser). */
	startUdpAgent(options: UdpAgentOptions): Promise<UdpAgent>;
	/**
	 * Starts sipp as the customer at the far end of the trunk: agents' calls to phone numbers
	 * (+ and 5 or more digits, not a registered extension) reach it. One at a time.
	 */
	startTrunkCallee(options?: UasOptions): Promise<TrunkCallee>;
	/** Contacts registered now for an extension. */
	registeredContacts(extension: string): Promise<string[]>;
	/** Waits until an extension has at least `count` registered contacts. */
	waitForRegistration(extension: string, options?: { count?: number; timeoutMs?: number }): Promise<string[]>;
	/** Media counters of a finished call, from rtpengine's log ([] while the call is up). */
	mediaStats(callId: string): RtpStreamStats[];
	/**
	 * DTMF that travelled in a call's media as RFC 4733 telephone-events, in order: rtpengine parses
	 * the (decrypted) RTP it relays and reports each event's end (--dtmf-log-dest). SIP INFO is not here.
	 */
	mediaDtmf(callId: string): MediaDtmf[];
	/** Stops and starts Kamailio again (registrations are lost, as on a real PBX restart). */
	restartKamailio(): Promise<void>;
	/** Kills every process of the rig. Safe to call twice. */
	stop(): Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
	const settings = {
		wsPort: options.wsPort ?? 5066,
		sipUdpPort: options.sipUdpPort ?? 5062,
		trunkPort: options.trunkPort ?? 5070,
		ngPort: options.rtpengineNgPort ?? 22223,
		rtpPortMin: options.rtpPortMin ?? 30000,
		rtpPortMax: options.rtpPortMax ?? 30100,
		domain: options.domain ?? 'pbx.test',
		agents: options.agents ?? DEFAULT_AGENTS,
		logLevel: options.kamailioLogLevel ?? 2,
		startupTimeoutMs: options.startupTimeoutMs ?? 15000
	};
	validateSettings(settings);
	ensureDependencies(options.installMissing ?? true);

	const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'telephony-rig-'));
	// The path goes into Kamailio's --substdef (delimiter "!") and its RPC socket name (max 107 bytes).
	if (logDir.includes('!') || join(logDir, 'kamailio_ctl').length > 100) {
		throw new Error(`rig: logDir must be short and without "!": ${logDir}`);
	}
	mkdirSync(join(logDir, 'db'), { recursive: true });
	mkdirSync(join(logDir, 'calls'), { recursive: true });
	writeFileSync(join(logDir, 'db', 'agents'), agentTable(settings.agents));
	writeFileSync(join(logDir, AUDIO_FILE), alawWav(testTone()));

	await assertPortsFree([
		{ protocol: 'udp', port: settings.sipUdpPort, what: 'Kamailio SIP/UDP' },
		{ protocol: 'tcp', port: settings.wsPort, what: 'Kamailio WebSocket' },
		{ protocol: 'udp', port: settings.ngPort, what: 'rtpengine ng control' }
	]);

	const kamailioLog = join(logDir, 'kamailio.log');
	const rtpengineLog = join(logDir, 'rtpengine.log');
	const dtmfLog = await listenForMediaDtmf();
	const processes = new Set<Daemon>();
	const passwords = new Map(settings.agents.map((a) => [a.extension, a.password]));
	let callCounter = 0;
	let stopped = false;

	const rtpengineArgs = [
		'--config-file=none',
		'--table=-1',
		`--interface=${LOOPBACK}`,
		`--listen-ng=${LOOPBACK}:${settings.ngPort}`,
		`--port-min=${settings.rtpPortMin}`,
		`--port-max=${settings.rtpPortMax}`,
		'--foreground',
		'--log-stderr',
		'--log-level=6',
		'--num-threads=2',
		// Delete calls at once, so the final packet counters are in the log when the call ends.
		'--delete-delay=0',
		// One JSON datagram per telephone-event that ends in a call's media: see mediaDtmf().
		`--dtmf-log-dest=${LOOPBACK}:${dtmfLog.port}`,
		`--pidfile=${join(logDir, 'rtpengine.pid')}`
	];
	const kamailioArgs = [
		'-DD',
		'-E',
		'-f',
		KAMAILIO_CFG,
		'-Y',
		logDir,
		'-w',
		logDir,
		'-P',
		join(logDir, 'kamailio.pid'),
		'-m',
		'64',
		'-M',
		'8',
		`--substdef=!SIP_IP!${LOOPBACK}!g`,
		`--substdef=!SIP_DOMAIN!${settings.domain}!g`,
		`--substdef=!UDP_PORT!${settings.sipUdpPort}!g`,
		`--substdef=!WS_PORT!${settings.wsPort}!g`,
		`--substdef=!TRUNK_PORT!${settings.trunkPort}!g`,
		`--substdef=!RTPENGINE_NG!udp:${LOOPBACK}:${settings.ngPort}!g`,
		`--substdef=!RUN_DIR!${logDir}!g`,
		`--substdef=!AGENTS_DB_DIR!${join(logDir, 'db')}!g`,
		`--substdef=!LOG_LEVEL!${settings.logLevel}!g`
	];

	const startRtpengine = async () => {
		const daemon = startDaemon('rtpengine', 'rtpengine', rtpengineArgs, rtpengineLog, logDir);
		processes.add(daemon);
		await waitUntilReady(daemon, settings.startupTimeoutMs, () => rtpenginePing(settings.ngPort));
		return daemon;
	};
	const startKamailio = async () => {
		const daemon = startDaemon('kamailio', 'kamailio', kamailioArgs, kamailioLog, logDir);
		processes.add(daemon);
		await waitUntilReady(
			daemon,
			settings.startupTimeoutMs,
			async () => (await sipOptionsPing(settings.sipUdpPort)) && (await webSocketUpgrade(settings.wsPort)).ok
		);
		return daemon;
	};

	const stopAll = async () => {
		stopped = true;
		await Promise.all([...processes].map((p) => stopDaemon(p)));
		processes.clear();
		dtmfLog.close();
	};

	let rtpengine: Daemon;
	let kamailio: Daemon;
	try {
		rtpengine = await startRtpengine();
		kamailio = await startKamailio();
	} catch (error) {
		await stopAll();
		throw error;
	}

	const runSipp = (name: string, args: string[], timeoutMs: number) => {
		const base = join(logDir, 'calls', name);
		const messageLog = `${base}.msg`;
		const errorLog = `${base}.err`;
		const outputLog = `${base}.out`;
		const daemon = startDaemon(
			name,
			'sipp',
			[
				...args,
				'-nostdin',
				'-trace_msg',
				'-message_file',
				messageLog,
				'-trace_err',
				'-error_file',
				errorLog,
				'-timeout',
				`${Math.ceil(timeoutMs / 1000)}s`,
				'-timeout_error'
			],
			outputLog,
			logDir
		);
		processes.add(daemon);
		const killTimer = setTimeout(() => daemon.kill('SIGKILL'), timeoutMs + 5000);
		const done = daemon.exited.then((exit) => {
			clearTimeout(killTimer);
			processes.delete(daemon);
			return { exitCode: exit.code, messageLog, errorLog, outputLog };
		});
		return { daemon, done };
	};

	const startCall = async (call: PlaceCallOptions): Promise<RunningCall> => {
		if (stopped) throw new Error('the rig is stopped');
		assertToken(call.to, 'to');
		assertToken(call.from, 'from');
		if (call.pai) assertToken(call.pai, 'pai');
		if (call.extraHeader !== undefined && !/^[A-Za-z-]+: [^\r\n]+$/.test(call.extraHeader))
			throw new Error(`rig: bad extraHeader '${call.extraHeader}'`);
		if (call.dtmfOverInfo && call.hangupBeforeAnswerMs !== undefined)
			throw new Error('rig: dtmfOverInfo needs an answered call');
		const number = ++callCounter;
		const displayName = (call.displayName ?? '').replace(/["\\\r\n]/g, '');
		const paiNumber = call.pai === undefined ? call.from : call.pai;
		const namePart = displayName ? `"${displayName}" ` : '';
		// The scenario always has a header line there; without PAI it is a harmless X- header.
		const paiLine =
			paiNumber === null
				? 'X-Rig-Note: no P-Asserted-Identity'
				: `P-Asserted-Identity: ${namePart}<sip:${paiNumber}@${LOOPBACK}>`;
		const cancel = call.hangupBeforeAnswerMs !== undefined;
		const pauseMs = cancel ? call.hangupBeforeAnswerMs! : (call.holdMs ?? 3000);
		const timeoutMs = call.timeoutMs ?? 60000 + pauseMs;
		const sipPort = await freeUdpPort();
		const mediaPort = await freeMediaPorts();
		const { daemon, done } = runSipp(
			`call-${number}-to-${call.to}`,
			[
				`${LOOPBACK}:${settings.sipUdpPort}`,
				'-sf',
				join(SCENARIOS, cancel ? 'uac-cancel.xml' : call.dtmfOverInfo ? 'uac-dtmf-info.xml' : 'uac-call.xml'),
				'-s',
				call.to,
				'-m',
				'1',
				'-i',
				LOOPBACK,
				'-bind_local',
				'-p',
				String(sipPort),
				'-mi',
				LOOPBACK,
				'-mp',
				String(mediaPort),
				// uac-call.xml: the hold time is the receive timeout of the answered call;
				// uac-cancel.xml: the ring time is its pause.
				...(cancel ? ['-d', String(pauseMs), '-pause_msg_ign'] : ['-recv_timeout', String(pauseMs)]),
				'-set',
				'domain',
				settings.domain,
				'-set',
				'caller',
				call.from,
				'-set',
				'display',
				displayName,
				'-set',
				'pai_line',
				paiLine,
				// Like pai_line, always a header line: an empty one would end the headers.
				'-set',
				'extra_line',
				call.extraHeader ?? 'X-Rig-Note: no extra header'
			],
			timeoutMs
		);
		return {
			pid: daemon.pid,
			kill: () => daemon.kill('SIGKILL'),
			done: done.then((run) => {
				const trace = readSippTrace(run.messageLog);
				const answered = trace.inviteStatuses.includes(200);
				return {
					ok: run.exitCode === 0 && (cancel ? trace.finalStatus === 487 : answered),
					exitCode: run.exitCode,
					answered,
					finalStatus: trace.finalStatus,
					inviteStatuses: trace.inviteStatuses,
					endedBy: trace.byeSent ? 'caller' : trace.byeReceived ? 'callee' : undefined,
					callId: trace.callId,
					callerTag: trace.callerTag,
					dtmf: trace.dtmf,
					messageLog: run.messageLog,
					outputLog: run.outputLog
				};
			})
		};
	};

	const registrar = async (agent: Agent, contactPort: number, expires: number) => {
		const { done } = runSipp(
			`register-${agent.extension}-${++callCounter}`,
			[
				`${LOOPBACK}:${settings.sipUdpPort}`,
				'-sf',
				join(SCENARIOS, 'register.xml'),
				'-m',
				'1',
				'-i',
				LOOPBACK,
				'-bind_local',
				'-p',
				String(await freeUdpPort()),
				'-au',
				agent.extension,
				'-ap',
				agent.password,
				'-set',
				'domain',
				settings.domain,
				'-set',
				'user',
				agent.extension,
				'-set',
				'contact_port',
				String(contactPort),
				'-set',
				'expires',
				String(expires)
			],
			15000
		);
		const run = await done;
		if (run.exitCode !== 0) {
			throw new Error(
				`REGISTER of ${agent.extension} failed (sipp exit ${run.exitCode}); see ${run.messageLog}`
			);
		}
	};

	/** A sipp UAS on sipPort: uas-answer.xml (echoes the audio) or uas-ring.xml. */
	const startUas = async (name: string, user: string, sipPort: number, uas: UasOptions) => {
		const ringOnly = uas.behaviour === 'ring';
		return runSipp(
			name,
			[
				'-sf',
				join(SCENARIOS, ringOnly ? 'uas-ring.xml' : 'uas-answer.xml'),
				'-m',
				String(uas.calls ?? 1),
				'-i',
				LOOPBACK,
				'-bind_local',
				'-p',
				String(sipPort),
				'-mi',
				LOOPBACK,
				'-mp',
				String(await freeMediaPorts()),
				'-rtp_echo',
				'-d',
				String(uas.answerAfterMs ?? 500),
				'-set',
				'user',
				user
			],
			10 * 60 * 1000
		);
	};

	const startUdpAgent = async (agentOptions: UdpAgentOptions): Promise<UdpAgent> => {
		if (stopped) throw new Error('the rig is stopped');
		const agent = {
			extension: agentOptions.extension,
			password: agentOptions.password ?? passwords.get(agentOptions.extension) ?? ''
		};
		const sipPort = await freeUdpPort();
		const { daemon, done } = await startUas(
			`agent-${agent.extension}-${++callCounter}`,
			agent.extension,
			sipPort,
			agentOptions
		);
		try {
			await registrar(agent, sipPort, 3600);
		} catch (error) {
			daemon.kill('SIGKILL');
			throw error;
		}
		return {
			extension: agent.extension,
			pid: daemon.pid,
			done: done.then((run) => ({
				ok: run.exitCode === 0,
				exitCode: run.exitCode,
				messageLog: run.messageLog
			})),
			stop: async () => {
				if (!stopped) await registrar(agent, sipPort, 0).catch(() => undefined);
				await stopDaemon(daemon);
			}
		};
	};

	const startTrunkCallee = async (calleeOptions: UasOptions = {}): Promise<TrunkCallee> => {
		if (stopped) throw new Error('the rig is stopped');
		const error = await tryBind('udp', settings.trunkPort);
		if (error)
			throw new Error(
				`rig: trunk port ${settings.trunkPort} is busy (${error}): is another trunk callee running?`
			);
		const { daemon, done } = await startUas(
			`trunk-${++callCounter}`,
			'customer',
			settings.trunkPort,
			calleeOptions
		);
		return {
			pid: daemon.pid,
			done: done.then((run) => ({
				ok: run.exitCode === 0,
				exitCode: run.exitCode,
				messageLog: run.messageLog
			})),
			stop: () => stopDaemon(daemon)
		};
	};

	const registeredContacts = async (extension: string): Promise<string[]> => {
		assertToken(extension, 'extension');
		// "s:" keeps kamcmd from sending the extension as an integer.
		const args = ['-s', `unix:${join(logDir, 'kamailio_ctl')}`, 'ul.lookup', 'location', `s:${extension}`];
		const stdout = await new Promise<string>((resolve) =>
			// kamcmd fails with "AOR not found" when nothing is registered.
			execFile('kamcmd', args, { timeout: 5000 }, (error, out) => resolve(error ? '' : out))
		);
		return [...stdout.matchAll(/Address:\s*(\S+)/g)].map((m) => m[1]);
	};

	return {
		wsUrl: `ws://${LOOPBACK}:${settings.wsPort}`,
		wsPort: settings.wsPort,
		sipUdpPort: settings.sipUdpPort,
		trunkPort: settings.trunkPort,
		host: LOOPBACK,
		domain: settings.domain,
		agents: settings.agents,
		logDir,
		kamailioLog,
		rtpengineLog,
		get kamailioPid() {
			return kamailio.pid;
		},
		get rtpenginePid() {
			return rtpengine.pid;
		},
		placeCall: async (call) => (await startCall(call)).done,
		startCall,
		startUdpAgent,
		startTrunkCallee,
		registeredContacts,
		waitForRegistration: async (extension, { count = 1, timeoutMs = 10000 } = {}) => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const contacts = await registeredContacts(extension);
				if (contacts.length >= count) return contacts;
				if (Date.now() > deadline) {
					throw new Error(
						`${extension} has ${contacts.length} registered contact(s), wanted ${count}; see ${kamailioLog}`
					);
				}
				await sleep(200);
			}
		},
		mediaStats: (callId) => parseMediaStats(readFileSync(rtpengineLog, 'utf8'), callId),
		mediaDtmf: (callId) => dtmfLog.events(callId),
		restartKamailio: async () => {
			if (stopped) throw new Error('the rig is stopped');
			await stopDaemon(kamailio);
			processes.delete(kamailio);
			kamailio = await startKamailio();
		},
		stop: stopAll
	};
}

/**
 * For scripts run with `--netns`: runs the same script again inside `unshare --net` (a new
 * network namespace with only `lo`, brought up) and exits with its status. Needs root.
 */
export function reexecInNetnsIfAsked(): void {
	if (!process.argv.includes('--netns') || process.env.RIG_IN_NETNS) return;
	const args = process.argv.slice(2).filter((a) => a !== '--netns');
	const result = spawnSync(
		'unshare',
		[
			'--net',
			'--',
			'sh',
			'-c',
			'ip link set lo up && exec "$@"',
			'sh',
			process.execPath,
			...process.execArgv,
			process.argv[1],
			...args
		],
		{ stdio: 'inherit', env: { ...process.env, RIG_IN_NETNS: '1' } }
	);
	process.exit(result.status ?? 1);
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Daemon {
	name: string;
	pid: number;
	child: ChildProcess;
	log: string;
	/** Set once the process has exited. */
	exit?: { code: number | null; signal: NodeJS.Signals | null };
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Signals the whole process group (the daemon and its children). */
	kill(signal: NodeJS.Signals): void;
}

/** Process groups still running, killed if this Node process exits without stopping the rig. */
const liveGroups = new Set<number>();
process.on('exit', () => {
	for (const pgid of liveGroups) {
		try {
			process.kill(-pgid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

function startDaemon(name: string, command: string, args: string[], log: string, cwd: string): Daemon {
	const fd = openSync(log, 'a');
	let child: ChildProcess;
	try {
		// detached: a process group of its own, so stopping it reaches its children too.
		child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', fd, fd] });
	} finally {
		closeSync(fd);
	}
	const daemon: Daemon = {
		name,
		pid: child.pid ?? -1,
		child,
		log,
		exited: new Promise((resolve) => {
			child.once('error', (error) => {
				writeFileSync(log, `\n[rig] cannot start ${command}: ${error.message}\n`, { flag: 'a' });
				daemon.exit = { code: null, signal: null };
				resolve(daemon.exit);
			});
			child.once('exit', (code, signal) => {
				liveGroups.delete(daemon.pid);
				daemon.exit = { code, signal };
				resolve(daemon.exit);
			});
		}),
		kill: (signal) => {
			if (daemon.pid <= 0) return;
			try {
				process.kill(-daemon.pid, signal);
			} catch {
				// the group is gone
			}
		}
	};
	if (daemon.pid > 0) liveGroups.add(daemon.pid);
	return daemon;
}

async function waitUntilReady(
	daemon: Daemon,
	timeoutMs: number,
	probe: () => Promise<boolean>
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (daemon.exit) {
			throw new Error(
				`${daemon.name} died on startup (exit ${daemon.exit.code ?? daemon.exit.signal}); log ${daemon.log}:\n${tail(daemon.log)}`
			);
		}
		if (await probe().catch(() => false)) return;
		if (Date.now() > deadline) {
			await stopDaemon(daemon);
			throw new Error(
				`${daemon.name} not ready after ${timeoutMs} ms; log ${daemon.log}:\n${tail(daemon.log)}`
			);
		}
		await sleep(150);
	}
}

async function stopDaemon(daemon: Daemon): Promise<void> {
	if (!daemon.exit) {
		daemon.kill('SIGTERM');
		const exited = await Promise.race([daemon.exited.then(() => true), sleep(5000).then(() => false)]);
		if (!exited) {
			daemon.kill('SIGKILL');
			await daemon.exited;
		}
	}
	// Children of the main process (Kamailio's workers) may outlive it by a moment.
	for (let i = 0; i < 50 && groupAlive(daemon.pid); i++) {
		if (i === 25) daemon.kill('SIGKILL');
		await sleep(100);
	}
}

function groupAlive(pgid: number): boolean {
	if (pgid <= 0) return false;
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

function tail(file: string, lines = 25): string {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Set-up checks

function validateSettings(s: {
	wsPort: number;
	sipUdpPort: number;
	trunkPort: number;
	ngPort: number;
	rtpPortMin: number;
	rtpPortMax: number;
	domain: string;
	agents: ReadonlyArray<Agent>;
}): void {
	for (const [what, port] of Object.entries({
		wsPort: s.wsPort,
		sipUdpPort: s.sipUdpPort,
		trunkPort: s.trunkPort,
		ngPort: s.ngPort
	})) {
		if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`rig: bad ${what} ${port}`);
	}
	if (!(s.rtpPortMin > 1023 && s.rtpPortMax <= 65535 && s.rtpPortMax - s.rtpPortMin >= 8)) {
		throw new Error(`rig: bad RTP port range ${s.rtpPortMin}-${s.rtpPortMax}`);
	}
	// Kamailio treats an IP-literal domain as "any port on that IP", which breaks in-dialog routing.
	if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(s.domain) || /^[0-9.]+$/.test(s.domain)) {
		throw new Error(`rig: the SIP domain must be a host name, not '${s.domain}'`);
	}
	for (const agent of s.agents) {
		assertToken(agent.extension, 'extension');
		if (!/^[A-Za-z0-9._~+-]+$/.test(agent.password))
			throw new Error(`rig: unsupported password for ${agent.extension}`);
	}
}

function assertToken(value: string, what: string): void {
	if (!/^\+?[A-Za-z0-9._-]+$/.test(value)) throw new Error(`rig: bad ${what} '${value}'`);
}

function ensureDependencies(installMissing: boolean): void {
	const missing = () =>
		[
			['kamailio', '/usr/sbin/kamailio'],
			['kamcmd', '/usr/sbin/kamcmd'],
			['websocket module', '/usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so'],
			['rtpengine', '/usr/bin/rtpengine'],
			['sipp', '/usr/bin/sipp']
		]
			.filter(([, path]) => !existsSync(path))
			.map(([name]) => name);
	let absent = missing();
	if (absent.length === 0) return;
	if (!installMissing) throw new Error(`rig: missing ${absent.join(', ')}; run ${INSTALL_DEPS}`);
	const result = spawnSync('bash', [INSTALL_DEPS], { stdio: 'inherit', timeout: 15 * 60 * 1000 });
	absent = missing();
	if (result.status !== 0 || absent.length > 0) {
		throw new Error(
			`rig: ${INSTALL_DEPS} failed (exit ${result.status}); still missing: ${absent.join(', ') || 'nothing'}`
		);
	}
}

async function assertPortsFree(
	ports: { protocol: 'udp' | 'tcp'; port: number; what: string }[]
): Promise<void> {
	for (const { protocol, port, what } of ports) {
		const error = await tryBind(protocol, port);
		if (error === 'EADDRNOTAVAIL') {
			throw new Error(`rig: cannot bind ${LOOPBACK}: is loopback up? (in a new netns: ip link set lo up)`);
		}
		if (error) throw new Error(`rig: ${protocol} port ${port} (${what}) is not free: ${error}`);
	}
}

function tryBind(protocol: 'udp' | 'tcp', port: number): Promise<string | undefined> {
	return new Promise((resolve) => {
		if (protocol === 'udp') {
			const socket = createSocket('udp4');
			socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
			socket.bind(port, LOOPBACK, () => socket.close(() => resolve(undefined)));
		} else {
			const server = createServer();
			server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
			server.listen(port, LOOPBACK, () => server.close(() => resolve(undefined)));
		}
	});
}

/**
 * sipp's media port P: it binds P and P+1 (audio RTP/RTCP) and P+2, P+3 (video) too, and fails
 * when any of them is taken. Four consecutive free ports, from the kernel's ephemeral range.
 */
async function freeMediaPorts(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await freeUdpPort();
		if (port > 65530) continue;
		const taken = await Promise.all([1, 2, 3].map((i) => tryBind('udp', port + i)));
		if (taken.every((error) => error === undefined)) return port;
	}
	throw new Error('rig: no four consecutive free UDP ports for sipp media');
}

/** A UDP port the kernel just handed out and released: free unless someone grabs it meanwhile. */
function freeUdpPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = createSocket('udp4');
		socket.once('error', reject);
		socket.bind(0, LOOPBACK, () => {
			const { port } = socket.address();
			socket.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Probes

/** rtpengine's ng protocol: "<cookie> d7:command4:pinge" answered by "<cookie> d6:result4:ponge". */
function rtpenginePing(port: number): Promise<boolean> {
	const cookie = randomBytes(6).toString('hex');
	return udpExchange(
		port,
		`${cookie} d7:command4:pinge`,
		(reply) => reply.startsWith(cookie) && reply.includes('pong')
	);
}

function sipOptionsPing(port: number): Promise<boolean> {
	const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
	const request = [
		`OPTIONS sip:${LOOPBACK}:${port} SIP/2.0`,
		`Via: SIP/2.0/UDP ${LOOPBACK}:9;branch=${branch};rport`,
		`From: <sip:rig@${LOOPBACK}>;tag=${randomBytes(4).toString('hex')}`,
		`To: <sip:${LOOPBACK}:${port}>`,
		`Call-ID: ${randomBytes(8).toString('hex')}@rig`,
		'CSeq: 1 OPTIONS',
		'Max-Forwards: 70',
		'Content-Length: 0',
		'',
		''
	].join('\r\n');
	return udpExchange(port, request, (reply) => reply.startsWith('SIP/2.0 200'));
}

function udpExchange(
	port: number,
	message: string,
	accept: (reply: string) => boolean,
	timeoutMs = 700
): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createSocket('udp4');
		const finish = (ok: boolean) => {
			clearTimeout(timer);
			socket.close();
			resolve(ok);
		};
		const timer = setTimeout(() => finish(false), timeoutMs);
		socket.on('error', () => finish(false));
		socket.on('message', (data) => {
			if (accept(data.toString('latin1'))) finish(true);
		});
		socket.bind(0, LOOPBACK, () => socket.send(message, port, LOOPBACK));
	});
}

/**
 * Opens a WebSocket handshake with subprotocol "sip", as sip.js does, and reports the answer.
 * Exported for the self-check.
 */
export function webSocketUpgrade(
	port: number,
	timeoutMs = 1500
): Promise<{ ok: boolean; status: string; protocol?: string }> {
	return new Promise((resolve) => {
		const key = randomBytes(16).toString('base64');
		const socket = createConnection({ host: LOOPBACK, port });
		let received = '';
		const finish = (result: { ok: boolean; status: string; protocol?: string }) => {
			clearTimeout(timer);
			socket.destroy();
			resolve(result);
		};
		const timer = setTimeout(() => finish({ ok: false, status: 'timeout' }), timeoutMs);
		socket.on('error', (e) => finish({ ok: false, status: e.message }));
		socket.on('connect', () =>
			socket.write(
				[
					'GET / HTTP/1.1',
					`Host: ${LOOPBACK}:${port}`,
					'Upgrade: websocket',
					'Connection: Upgrade',
					`Sec-WebSocket-Key: ${key}`,
					'Sec-WebSocket-Version: 13',
					'Sec-WebSocket-Protocol: sip',
					'',
					''
				].join('\r\n')
			)
		);
		socket.on('data', (data) => {
			received += data.toString('latin1');
			const end = received.indexOf('\r\n\r\n');
			if (end < 0) return;
			const lines = received.slice(0, end).split('\r\n');
			const protocol = lines
				.find((l) => /^sec-websocket-protocol:/i.test(l))
				?.split(':')[1]
				?.trim();
			finish({ ok: /^HTTP\/1\.1 101/.test(lines[0]) && protocol === 'sip', status: lines[0], protocol });
		});
	});
}

/**
 * Collects what rtpengine sends to --dtmf-log-dest: {"callid", "source_tag", "event", "duration", ...}
 * once per telephone-event, at its end (the sender's repeated end packets are reported once).
 */
async function listenForMediaDtmf(): Promise<{
	port: number;
	events(callId: string): MediaDtmf[];
	close(): void;
}> {
	const byCall = new Map<string, MediaDtmf[]>();
	const socket = createSocket('udp4');
	socket.on('message', (data) => {
		let report: { callid?: unknown; source_tag?: unknown; event?: unknown; duration?: unknown };
		try {
			report = JSON.parse(data.toString('utf8'));
		} catch {
			return;
		}
		const digit = typeof report.event === 'number' ? '0123456789*#ABCD'[report.event] : undefined;
		if (typeof report.callid !== 'string' || !digit) return;
		const events = byCall.get(report.callid) ?? [];
		events.push({
			digit,
			sourceTag: String(report.source_tag ?? ''),
			durationMs: Number(report.duration ?? 0)
		});
		byCall.set(report.callid, events);
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('error', reject);
		socket.bind(0, LOOPBACK, () => resolve());
	});
	// Never what keeps a test process alive.
	socket.unref();
	return {
		port: socket.address().port,
		events: (callId) => [...(byCall.get(callId) ?? [])],
		close: () => {
			try {
				socket.close();
			} catch {
				// closed already
			}
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Files

/** The db_text table Kamailio loads into its "agents" htable: extension -> password. */
export function agentTable(agents: ReadonlyArray<Agent>): string {
	const rows = agents.map((a) => `${a.extension}:0:0:${a.password}:0`);
	return ['key_name(str) key_type(int) value_type(int) key_value(str) expires(int)', ...rows, ''].join('\n');
}

/** Two seconds of a 440 Hz tone with a soft start and end; sipp loops it for the whole call. */
function testTone(): Int16Array {
	const rate = 8000;
	const samples = new Int16Array(rate * 2);
	for (let i = 0; i < samples.length; i++) {
		const envelope = Math.min(1, i / 800, (samples.length - i) / 800);
		samples[i] = Math.round(8000 * envelope * Math.sin((2 * Math.PI * 440 * i) / rate));
	}
	return samples;
}

/** G.711 A-law in a WAV container (format 6, 8 kHz, mono): what sipp's rtp_stream plays as PCMA. */
function alawWav(samples: Int16Array): Buffer {
	const data = Buffer.alloc(samples.length);
	for (let i = 0; i < samples.length; i++) data[i] = linearToAlaw(samples[i]);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(6, 20); // A-law
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(8000, 24);
	header.writeUInt32LE(8000, 28); // bytes per second
	header.writeUInt16LE(1, 32); // block align
	header.writeUInt16LE(8, 34); // bits per sample
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}

/** ITU-T G.711 A-law encoder (the reference algorithm on 13-bit magnitudes). */
function linearToAlaw(sample: number): number {
	const segmentEnds = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
	let value = sample >> 3;
	let mask = 0xd5;
	if (value < 0) {
		mask = 0x55;
		value = -value - 1;
	}
	const segment = segmentEnds.findIndex((end) => value <= end);
	if (segment < 0) return 0x7f ^ mask;
	const mantissa = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
	return ((segment << 4) | mantissa) ^ mask;
}

// ---------------------------------------------------------------------------------------------
// Logs

interface SippTrace {
	callId?: string;
	callerTag?: string;
	inviteStatuses: number[];
	finalStatus?: number;
	byeSent: boolean;
	byeReceived: boolean;
	dtmf: string[];
}

/** Reads sipp's -trace_msg file: blocks of "----- <time>\n<UDP message sent|received ...>\n\n<SIP message>". */
function readSippTrace(file: string): SippTrace {
	const trace: SippTrace = { inviteStatuses: [], byeSent: false, byeReceived: false, dtmf: [] };
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return trace;
	}
	for (const block of text.split(/^-{20,}.*$/m)) {
		const received = /message received/i.test(block);
		const sent = /message sent/i.test(block);
		if (!received && !sent) continue;
		const start = block.search(/^(SIP\/2\.0 \d{3}|[A-Z]+ sip:)/m);
		if (start < 0) continue;
		const message = block.slice(start);
		const firstLine = message.split(/\r?\n/, 1)[0];
		const cseqMethod = /^CSeq:\s*\d+\s+(\S+)/im.exec(message)?.[1];
		const callId = /^Call-ID:\s*(\S+)/im.exec(message)?.[1];
		if (sent && firstLine.startsWith('INVITE ') && !trace.callId) {
			trace.callId = callId;
			trace.callerTag = /^From:.*;tag=([^;\s]+)/im.exec(message)?.[1];
		}
		const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine);
		if (received && status && cseqMethod === 'INVITE') {
			const code = Number(status[1]);
			if (trace.inviteStatuses.at(-1) !== code) trace.inviteStatuses.push(code);
			if (code >= 200 && trace.finalStatus === undefined) trace.finalStatus = code;
		}
		if (
			received &&
			firstLine.startsWith('INFO ') &&
			/^Content-Type:\s*application\/dtmf-relay/im.test(message)
		) {
			const signal = /^Signal=\s*([0-9*#A-D])/im.exec(message)?.[1];
			if (signal) trace.dtmf.push(signal);
		}
		if (firstLine.startsWith('BYE ')) {
			if (sent) trace.byeSent = true;
			if (received) trace.byeReceived = true;
		}
	}
	return trace;
}

/**
 * rtpengine logs, when it deletes a call:
 *   [callid]: [core] --- Tag 'abc', created 0:03 ago for branch ''
 *   [callid]: [core] ------ Media #1 (audio over RTP/AVP) using PCMA/8000
 *   [callid]: [core] --------- Port 127.0.0.1:30008 <> 127.0.0.1:40020, SSRC ca110000, 100 p, 17200 b, 0 e, 0 ts
 */
export function parseMediaStats(log: string, callId: string): RtpStreamStats[] {
	const streams: RtpStreamStats[] = [];
	let tag = '';
	let protocol = '';
	let codec = '';
	const marker = `[${callId}]: `;
	for (const line of log.split('\n')) {
		const at = line.indexOf(marker);
		if (at < 0) continue;
		const body = line.slice(at + marker.length);
		const tagMatch = /--- Tag '([^']*)'/.exec(body);
		if (tagMatch) tag = tagMatch[1];
		const mediaMatch = /------ Media #\d+ \(\w+ over ([^)]+)\)(?: using (\S+))?/.exec(body);
		if (mediaMatch) {
			protocol = mediaMatch[1];
			codec = mediaMatch[2] ?? '';
		}
		const portMatch = /--------- Port\s+(\S+)\s+<>\s+(\S+?)(\s+\(RTCP\))?,.*?(\d+) p, (\d+) b, (\d+) e/.exec(
			body
		);
		if (portMatch) {
			streams.push({
				tag,
				protocol,
				codec,
				local: portMatch[1],
				remote: portMatch[2],
				rtcp: Boolean(portMatch[3]),
				packets: Number(portMatch[4]),
				bytes: Number(portMatch[5]),
				errors: Number(portMatch[6])
			});
		}
	}
	return streams;
}
