import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Core } from 'sip.js';
import { log } from '../core/log';
import {
	headerList,
	isRequest,
	nameAddrUri,
	parseSip,
	replyTo,
	splitHeaderValues,
	uriParts,
	writeRequest,
	writeResponse,
	type HeaderList,
	type SipRequest,
	type SipResponse
} from './sip-message';

/** The SIP domain of the demo agents' addresses (sip:1001@demo.invalid); `.invalid` never resolves. */
export const demoSipDomain = 'demo.invalid';
/** The switchboard's own host in Via and Record-Route headers. */
const proxyHost = 'switchboard.demo.invalid';
const recordRoute = `<sip:${proxyHost};transport=ws;lr>`;
const registrationSeconds = { min: 60, max: 600 };
const mandatoryHeaders = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

/** One signalling connection: an agent's WebSocket, or a simulated customer inside the process. */
export interface SipConnection {
	readonly id: string;
	/**
	 * The signed-in user on a WebSocket. Null for the switchboard's own simulated customers, whose
	 * caller ID (P-Asserted-Identity) is believed as the PBX's own would be.
	 */
	readonly user: {
		userId: string;
		extension: string | null;
		/** /demo/phone: may call with a demo customer's number as caller ID. */
		mayCallAsCustomer: boolean;
	} | null;
	send(text: string): void;
}

interface Binding {
	connection: SipConnection;
	contact: string;
	/** The Contact header value as registered, echoed in the 200 OK. */
	contactHeader: string;
	expiresAt: number;
	registeredAt: number;
}

interface ForkBranch {
	branch: string;
	target: SipConnection;
	requestUri: string;
	/** The forwarded INVITE's headers needed to CANCEL or ACK it ourselves. */
	from: string;
	to: string;
	cseq: number;
	callId: string;
	final: number | null;
}

/** One INVITE in flight through the switchboard: forked to every contact, answered once. */
interface InviteFork {
	key: string;
	source: SipConnection;
	request: SipRequest;
	branches: ForkBranch[];
	answered: boolean;
	cancelled: boolean;
	finished: boolean;
	best: SipResponse | null;
}

interface Forwarded {
	source: SipConnection;
	target: SipConnection;
	fork?: InviteFork;
	method: string;
}

export interface RegistrationChange {
	extension: string;
	userId: string;
	registered: boolean;
}

/**
 * The demo switchboard: a registrar and a record-routing proxy for SIP over WebSocket (RFC 7118),
 * so that with no PBX configured the agents' softphones register and ring through the very
 * sip.js code they use with Asterisk or Kamailio. INVITEs are forked to every tab of an agent
 * and answered once (the others are cancelled); everything else is relayed hop by hop. It keeps
 * no media: browsers and the simulated customers talk WebRTC to each other on host candidates.
 *
 * Not a PBX: no queues of its own (the demo calls' ACD asks it who is registered), no trunks,
 * no digest authentication (the WebSocket is opened with a console session, and a user may
 * register only their own extension).
 */
export class DemoSwitchboard {
	readonly domain = demoSipDomain;
	readonly #bindings = new Map<string, Binding[]>();
	/** Contact hosts (sip.js makes a random `<x>.invalid` per user agent) and who owns them. */
	readonly #contacts = new Map<string, SipConnection>();
	readonly #forwarded = new Map<string, Forwarded>();
	readonly #forks = new Map<string, InviteFork>();
	readonly #changes = new EventEmitter<{ change: [RegistrationChange] }>();
	#closed = false;

	/** Registrations coming and going (the demo ACD rings only registered agents). */
	onRegistrationChange(listener: (change: RegistrationChange) => void): () => void {
		this.#changes.on('change', listener);
		return () => this.#changes.off('change', listener);
	}

	/** The extensions registered now. */
	registeredExtensions(): string[] {
		const now = Date.now();
		return [...this.#bindings.entries()]
			.filter(([, bindings]) => bindings.some((b) => b.expiresAt > now))
			.map(([extension]) => extension);
	}

	isRegistered(extension: string): boolean {
		return this.#liveBindings(extension).length > 0;
	}

	/** A message from a connection. Never throws: a bad message is answered or dropped. */
	receive(connection: SipConnection, text: string) {
		if (this.#closed) return;
		// RFC 7118 §6 keep-alive (double CRLF): answered with one CRLF.
		if (text.trim() === '') {
			if (text === '\r\n\r\n') connection.send('\r\n');
			return;
		}
		const message = parseSip(text);
		if (!message) {
			log.debug('switchboard: unparsable message dropped', { connection: connection.id });
			return;
		}
		// sip.js's parser is lenient: a message without the headers every hop relies on goes no further
		// (no answer either: an answer must copy exactly those headers).
		const missing = mandatoryHeaders.find((name) => !message.hasHeader(name));
		if (missing) {
			log.debug('switchboard: message without a mandatory header dropped', { missing });
			return;
		}
		try {
			if (isRequest(message)) this.#onRequest(connection, message);
			else this.#onResponse(connection, message);
		} catch (error) {
			log.error('switchboard: message failed', { error, connection: connection.id });
			if (isRequest(message) && message.method !== 'ACK')
				connection.send(replyTo(message, 500, 'Server Internal Error'));
		}
	}

	/** A connection went away: its registrations end, its pending calls are given up. */
	disconnected(connection: SipConnection) {
		for (const [extension, bindings] of this.#bindings) {
			const kept = bindings.filter((b) => b.connection !== connection);
			if (kept.length !== bindings.length) this.#setBindings(extension, kept, connection.user?.userId);
		}
		for (const [host, owner] of this.#contacts) if (owner === connection) this.#contacts.delete(host);
		for (const fork of this.#forks.values()) {
			if (fork.finished) continue;
			if (fork.source === connection) this.#cancelBranches(fork);
			for (const branch of fork.branches) {
				if (branch.target === connection && branch.final === null) {
					branch.final = 480;
					this.#maybeFinish(fork);
				}
			}
		}
	}

	close() {
		this.#closed = true;
		this.#bindings.clear();
		this.#contacts.clear();
		this.#forwarded.clear();
		this.#forks.clear();
		this.#changes.removeAllListeners();
	}

	// ------------------------------------------------------------------------------------------
	// Requests

	#onRequest(source: SipConnection, request: SipRequest) {
		this.#learnContact(source, request);
		if (request.method === 'REGISTER') return this.#register(source, request);
		if (request.method === 'CANCEL') return this.#cancel(source, request);
		if (request.method === 'ACK' && this.#absorbAck(source, request)) return;

		const maxForwards = Number(request.getHeader('Max-Forwards') ?? 70);
		if (maxForwards <= 0) {
			if (request.method !== 'ACK') source.send(replyTo(request, 483, 'Too Many Hops'));
			return;
		}
		const requestUri = request.ruri?.toString() ?? '';
		const target = uriParts(requestUri);
		if (!target) {
			if (request.method !== 'ACK') source.send(replyTo(request, 416, 'Unsupported URI Scheme'));
			return;
		}
		const direct = this.#contacts.get(target.host);
		if (direct) return this.#forward(source, request, [{ connection: direct, uri: requestUri }]);
		if (target.host !== this.domain) {
			if (request.method !== 'ACK') source.send(replyTo(request, 404, 'Not Found'));
			return;
		}
		// A new call or message to an extension: only as oneself (or a trusted demo caller).
		if (!request.toTag && !this.#mayCallFrom(source, request)) {
			source.send(replyTo(request, 403, 'Forbidden: call from your own extension'));
			return;
		}
		const bindings = target.user ? this.#liveBindings(target.user) : [];
		if (bindings.length === 0) {
			if (request.method !== 'ACK') source.send(replyTo(request, 480, 'Temporarily Unavailable'));
			return;
		}
		const targets = bindings.map((b) => ({ connection: b.connection, uri: b.contact }));
		this.#forward(source, request, request.method === 'INVITE' ? targets : targets.slice(0, 1));
	}

	#mayCallFrom(source: SipConnection, request: SipRequest): boolean {
		if (!source.user || source.user.mayCallAsCustomer) return true;
		return source.user.extension !== null && request.from.uri.user === source.user.extension;
	}

	#register(source: SipConnection, request: SipRequest) {
		const extension = request.to.uri.user;
		if (!source.user || !extension || extension !== source.user.extension) {
			source.send(replyTo(request, 403, 'Forbidden: not your extension'));
			return;
		}
		const now = Date.now();
		const expiresHeader = Number(request.getHeader('Expires') ?? 3600);
		let bindings = this.#liveBindings(extension);
		const contacts = request.getHeaders('Contact');
		if (contacts.length === 1 && contacts[0].trim() === '*') {
			bindings = bindings.filter((b) => b.connection !== source);
		} else {
			for (let i = 0; i < contacts.length; i++) {
				const header = request.parseHeader('Contact', i) as Core.NameAddrHeader | undefined;
				if (!header) continue;
				const contact = header.uri.toString();
				const asked = Number(header.getParam('expires') ?? expiresHeader);
				bindings = bindings.filter((b) => b.contact !== contact);
				if (asked > 0) {
					const seconds = Math.min(registrationSeconds.max, Math.max(registrationSeconds.min, asked));
					header.setParam('expires', String(seconds));
					bindings.push({
						connection: source,
						contact,
						contactHeader: header.toString(),
						expiresAt: now + seconds * 1000,
						registeredAt: now
					});
					const host = uriParts(contact)?.host;
					if (host && !this.#contacts.has(host)) this.#contacts.set(host, source);
				}
			}
		}
		this.#setBindings(extension, bindings, source.user.userId);
		const extra: HeaderList = bindings
			.filter((b) => b.connection === source)
			.map((b) => ['Contact', b.contactHeader]);
		source.send(replyTo(request, 200, 'OK', [...extra, ['Date', new Date().toUTCString()]]));
	}

	#setBindings(extension: string, bindings: Binding[], userId: string | undefined) {
		const before = this.#bindings.get(extension)?.length ?? 0;
		if (bindings.length) this.#bindings.set(extension, bindings);
		else this.#bindings.delete(extension);
		if (userId && (before === 0) !== (bindings.length === 0)) {
			this.#changes.emit('change', { extension, userId, registered: bindings.length > 0 });
		}
	}

	#liveBindings(extension: string): Binding[] {
		const now = Date.now();
		const bindings = this.#bindings.get(extension) ?? [];
		const live = bindings.filter((b) => b.expiresAt > now);
		// The newest registration first: the tab most recently opened rings first in line.
		return live.sort((a, b) => b.registeredAt - a.registeredAt);
	}

	/** Contact hosts are how in-dialog requests find their way back: first owner keeps it. */
	#learnContact(connection: SipConnection, message: SipRequest | SipResponse) {
		const contact = message.getHeader('Contact');
		if (!contact) return;
		const uri = nameAddrUri(splitHeaderValues(contact)[0] ?? '');
		const host = uri ? uriParts(uri)?.host : undefined;
		if (!host || host === this.domain || host === proxyHost) return;
		if (!this.#contacts.has(host)) this.#contacts.set(host, connection);
	}

	#forward(
		source: SipConnection,
		request: SipRequest,
		targets: Array<{ connection: SipConnection; uri: string }>
	) {
		const headers = this.#proxiedHeaders(source, request);
		const newDialog = !request.toTag && ['INVITE', 'SUBSCRIBE', 'REFER'].includes(request.method);
		let fork: InviteFork | undefined;
		if (request.method === 'INVITE') {
			fork = {
				key: forkKey(source, request.viaBranch),
				source,
				request,
				branches: [],
				answered: false,
				cancelled: false,
				finished: false,
				best: null
			};
			this.#forks.set(fork.key, fork);
			source.send(replyTo(request, 100, 'Trying'));
			this.#expireFork(fork);
		}
		for (const target of targets) {
			const branch = branchFor(source, request.viaBranch, target.connection);
			const lines: HeaderList = [['Via', `SIP/2.0/WSS ${proxyHost};branch=${branch}`]];
			if (newDialog) lines.push(['Record-Route', recordRoute]);
			lines.push(...headers);
			// An ACK (of a 2xx) has no answer: nothing to remember.
			if (request.method !== 'ACK')
				this.#forwarded.set(branch, { source, target: target.connection, fork, method: request.method });
			if (fork) {
				fork.branches.push({
					branch,
					target: target.connection,
					requestUri: target.uri,
					from: request.getHeader('From') ?? '',
					to: request.getHeader('To') ?? '',
					cseq: request.cseq,
					callId: request.callId,
					final: null
				});
			} else if (request.method !== 'ACK') {
				// Non-INVITE transactions end within 32 s (RFC 3261 Timer F).
				setTimeout(() => this.#forwarded.delete(branch), 32_000).unref();
			}
			target.connection.send(writeRequest(request.method, target.uri, lines, request.body ?? ''));
		}
	}

	/** The request's headers as the next hop sees them: our Route gone, one hop fewer, PAI vetted. */
	#proxiedHeaders(source: SipConnection, request: SipRequest): HeaderList {
		const trustedIdentity = !source.user || source.user.mayCallAsCustomer;
		const out: HeaderList = [];
		for (const [name, value] of headerList(request)) {
			if (name === 'Max-Forwards') {
				out.push([name, String(Number(value) - 1)]);
			} else if (name === 'Route') {
				const kept = splitHeaderValues(value).filter((route) => !route.includes(proxyHost));
				if (kept.length) out.push([name, kept.join(', ')]);
			} else if (name === 'P-Asserted-Identity' && !trustedIdentity) {
				// A browser may not assert someone else's number (RFC 3325: only trusted nodes may).
				continue;
			} else {
				out.push([name, value]);
			}
		}
		return out;
	}

	/** CANCEL of an INVITE we forked: answered here, passed on to every branch still ringing. */
	#cancel(source: SipConnection, request: SipRequest) {
		const fork = this.#forks.get(forkKey(source, request.viaBranch));
		if (!fork || fork.finished) {
			source.send(replyTo(request, 481, 'Call/Transaction Does Not Exist'));
			return;
		}
		source.send(replyTo(request, 200, 'OK', [], request.toTag || undefined));
		fork.cancelled = true;
		this.#cancelBranches(fork);
	}

	#cancelBranches(fork: InviteFork, except?: ForkBranch) {
		for (const branch of fork.branches) {
			if (branch === except || branch.final !== null) continue;
			branch.target.send(
				writeRequest('CANCEL', branch.requestUri, [
					['Via', `SIP/2.0/WSS ${proxyHost};branch=${branch.branch}`],
					['Max-Forwards', '70'],
					['From', branch.from],
					['To', branch.to],
					['Call-ID', branch.callId],
					['CSeq', `${branch.cseq} CANCEL`]
				])
			);
		}
	}

	/** The caller's ACK of a failure we relayed: the branches were ACKed by us already. */
	#absorbAck(source: SipConnection, request: SipRequest): boolean {
		const fork = this.#forks.get(forkKey(source, request.viaBranch));
		return fork !== undefined && fork.finished && !fork.answered;
	}

	// ------------------------------------------------------------------------------------------
	// Responses

	#onResponse(connection: SipConnection, response: SipResponse) {
		const vias = response.getHeaders('Via').flatMap(splitHeaderValues);
		const parsed: unknown = vias[0] ? Core.Grammar.parse(vias[0], 'Via') : null;
		const top = typeof parsed === 'object' ? (parsed as { host?: string; branch?: string } | null) : null;
		if (!top || top.host !== proxyHost || !top.branch) return;
		const forwarded = this.#forwarded.get(top.branch);
		if (!forwarded || forwarded.target !== connection) return;
		this.#learnContact(connection, response);
		const method = response.method;
		if (method === 'CANCEL') return; // our own CANCEL's answer
		const status = response.statusCode ?? 0;
		if (status === 100) return;
		const fork = forwarded.fork;
		if (!fork || method !== 'INVITE') {
			if (status >= 200) this.#forwarded.delete(top.branch);
			this.#relay(forwarded.source, response, vias);
			return;
		}
		const branch = fork.branches.find((b) => b.branch === top.branch);
		if (!branch) return;
		if (status < 200) {
			if (!fork.finished && !fork.answered) this.#relay(fork.source, response, vias);
			return;
		}
		if (status < 300) {
			// Every 2xx goes up (the caller ACKs and, for a second one, hangs up); the rest stop ringing.
			branch.final = status;
			const first = !fork.answered;
			fork.answered = true;
			this.#relay(fork.source, response, vias);
			if (first) this.#cancelBranches(fork, branch);
			this.#maybeFinish(fork);
			return;
		}
		if (branch.final !== null) return;
		branch.final = status;
		this.#ackFailure(branch, response);
		if (!fork.best || rank(status) < rank(fork.best.statusCode ?? 0)) fork.best = response;
		this.#maybeFinish(fork);
	}

	/** RFC 3261 Timer C: a branch silent for three minutes is given up, so no fork lives forever. */
	#expireFork(fork: InviteFork) {
		setTimeout(() => {
			if (fork.finished) return;
			this.#cancelBranches(fork);
			for (const branch of fork.branches) branch.final ??= 408;
			this.#maybeFinish(fork);
		}, 180_000).unref();
	}

	#maybeFinish(fork: InviteFork) {
		if (fork.finished || fork.branches.some((b) => b.final === null)) return;
		fork.finished = true;
		if (!fork.answered) {
			const best = fork.best;
			if (best && !fork.cancelled) {
				this.#relay(fork.source, best, best.getHeaders('Via').flatMap(splitHeaderValues));
			} else {
				fork.source.send(
					fork.cancelled
						? replyTo(fork.request, 487, 'Request Terminated')
						: replyTo(fork.request, 480, 'Temporarily Unavailable')
				);
			}
		}
		// Kept a little for the caller's ACK of a failure, then forgotten.
		setTimeout(() => {
			this.#forks.delete(fork.key);
			for (const branch of fork.branches) this.#forwarded.delete(branch.branch);
		}, 32_000).unref();
	}

	#ackFailure(branch: ForkBranch, response: SipResponse) {
		branch.target.send(
			writeRequest('ACK', branch.requestUri, [
				['Via', `SIP/2.0/WSS ${proxyHost};branch=${branch.branch}`],
				['Max-Forwards', '70'],
				['From', branch.from],
				['To', response.getHeader('To') ?? branch.to],
				['Call-ID', branch.callId],
				['CSeq', `${branch.cseq} ACK`]
			])
		);
	}

	#relay(source: SipConnection, response: SipResponse, vias: string[]) {
		const headers: HeaderList = vias.slice(1).map((via) => ['Via', via]);
		for (const [name, value] of headerList(response)) if (name !== 'Via') headers.push([name, value]);
		source.send(
			writeResponse(response.statusCode ?? 500, response.reasonPhrase ?? '', headers, response.body ?? '')
		);
	}
}

function forkKey(source: SipConnection, branch: string): string {
	return `${source.id}|${branch}`;
}

/** Deterministic (RFC 3261 §16.11): a CANCEL or failure ACK of the client gets the INVITE's branch. */
function branchFor(source: SipConnection, clientBranch: string, target: SipConnection): string {
	const digest = createHash('sha256').update(`${source.id}|${clientBranch}|${target.id}`).digest('base64url');
	return `z9hG4bK${digest.slice(0, 22)}`;
}

/** Which failure to pass up when every branch failed: a 6xx ends it everywhere, then the lowest class. */
function rank(status: number): number {
	if (status >= 600) return 0;
	if (status === 486) return 1;
	return status;
}
