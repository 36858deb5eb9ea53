import { Core } from 'sip.js';

/**
 * SIP messages for the demo switchboard: parsed by sip.js's own grammar (the parser the
 * browsers' softphones use), written back with the few changes a proxy makes.
 */
export type SipRequest = Core.IncomingRequestMessage;
export type SipResponse = Core.IncomingResponseMessage;
export type SipMessage = SipRequest | SipResponse;

const logger = new Core.LoggerFactory();
logger.builtinEnabled = false;
const parserLog = logger.getLogger('demo.sip');

/** The parsed message, or null when it is not SIP (a ping, garbage): the caller drops it. */
export function parseSip(text: string): SipMessage | null {
	try {
		return Core.Parser.parseMessage(text, parserLog) ?? null;
	} catch {
		return null;
	}
}

export function isRequest(message: SipMessage): message is SipRequest {
	return message instanceof Core.IncomingRequestMessage;
}

/** Header lines in their order, as [name, value]; edited by the proxy, then written back. */
export type HeaderList = Array<[string, string]>;

export function headerList(message: SipMessage): HeaderList {
	const list: HeaderList = [];
	for (const [name, values] of Object.entries(message.headers)) {
		if (name === 'Content-Length') continue;
		for (const { raw } of values) list.push([name, raw]);
	}
	return list;
}

function write(startLine: string, headers: HeaderList, body: string): string {
	const lines = headers.map(([name, value]) => `${name}: ${value}`);
	lines.push(`Content-Length: ${Buffer.byteLength(body, 'utf8')}`);
	return `${startLine}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

export function writeRequest(method: string, uri: string, headers: HeaderList, body = ''): string {
	return write(`${method} ${uri} SIP/2.0`, headers, body);
}

export function writeResponse(status: number, reason: string, headers: HeaderList, body = ''): string {
	return write(`SIP/2.0 ${status} ${reason}`, headers, body);
}

/**
 * A response the switchboard itself gives to a request: the request's Via, From, To (with a
 * To-tag unless it had one), Call-ID and CSeq, as RFC 3261 §8.2.6 says.
 */
export function replyTo(
	request: SipRequest,
	status: number,
	reason: string,
	extra: HeaderList = [],
	toTag = 'sb' + Math.random().toString(36).slice(2, 10)
): string {
	const headers: HeaderList = [];
	for (const via of request.getHeaders('Via')) headers.push(['Via', via]);
	headers.push(['From', request.getHeader('From') ?? '']);
	const to = request.getHeader('To') ?? '';
	headers.push(['To', request.toTag || status === 100 ? to : `${to};tag=${toTag}`]);
	headers.push(['Call-ID', request.callId]);
	headers.push(['CSeq', request.getHeader('CSeq') ?? '']);
	headers.push(...extra);
	return writeResponse(status, reason, headers);
}

/** The first value of a comma-separated header line (Via, Route): sip.js keeps lines as sent. */
export function splitHeaderValues(raw: string): string[] {
	const values: string[] = [];
	let depth = 0;
	let quoted = false;
	let start = 0;
	for (let i = 0; i < raw.length; i++) {
		const ch = raw[i];
		if (ch === '"' && raw[i - 1] !== '\\') quoted = !quoted;
		else if (!quoted && ch === '<') depth++;
		else if (!quoted && ch === '>') depth--;
		else if (!quoted && depth === 0 && ch === ',') {
			values.push(raw.slice(start, i).trim());
			start = i + 1;
		}
	}
	values.push(raw.slice(start).trim());
	return values.filter((v) => v.length > 0);
}

/** The user part and host of a SIP URI, or null when it does not parse. */
export function uriParts(uri: string): { user: string | undefined; host: string } | null {
	const parsed = Core.Grammar.URIParse(uri);
	if (!parsed) return null;
	return { user: parsed.user, host: parsed.host.toLowerCase() };
}

/** The URI inside a name-addr header value (`"Name" <sip:...>;tag=x`). */
export function nameAddrUri(value: string): string | null {
	const parsed = Core.Grammar.nameAddrHeaderParse(value);
	return parsed ? parsed.uri.toString() : null;
}
