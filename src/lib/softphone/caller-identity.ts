/** STIR/SHAKEN verification status a PBX passes in the caller's URI (3GPP TS 24.229 "verstat"). */
export type Verstat = 'TN-Validation-Passed' | 'TN-Validation-Failed' | 'No-TN-Validation';

export interface CallerIdentity {
	/** The user part: "+390212345678", "0212345678", "1002". */
	number: string;
	displayName: string | null;
	/** Which header it came from: PBXs put the trusted identity in P-Asserted-Identity. */
	source: 'pai' | 'rpid' | 'from';
	verstat: Verstat | null;
}

export interface NameAddr {
	displayName: string | null;
	uri: string;
	user: string;
	/** Header parameters after the URI (party=calling;screen=yes...). */
	params: Record<string, string>;
}

/** Parses `"Mario Rossi" <sip:+39021234@pbx;user=phone>;party=calling`, `<tel:+3902...>` or a bare URI. */
export function parseNameAddr(value: string): NameAddr | null {
	const text = value.trim();
	if (!text) return null;
	let displayName: string | null = null;
	let uri: string;
	let rest = '';
	const angle = /^(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^>]*)>(.*)$/.exec(text);
	if (angle) {
		displayName = (angle[1] ?? angle[2] ?? '').replace(/\\(.)/g, '$1').trim() || null;
		uri = angle[3].trim();
		rest = angle[4];
	} else {
		const semi = text.indexOf(';');
		uri = semi < 0 ? text : text.slice(0, semi);
		rest = semi < 0 ? '' : text.slice(semi);
	}
	const scheme = /^(sips?|tel):(.*)$/i.exec(uri);
	if (!scheme) return null;
	const body = scheme[2];
	const user =
		scheme[1].toLowerCase() === 'tel' ? body.split(';')[0] : body.includes('@') ? body.split('@')[0] : '';
	const params: Record<string, string> = {};
	for (const part of rest.split(';')) {
		const [key, val] = part.split('=');
		if (key?.trim()) params[key.trim().toLowerCase()] = (val ?? '').trim();
	}
	return { displayName, uri, user: decodeURIComponent(user.split(';')[0]), params };
}

/** Header values may hold several comma-separated name-addrs (PAI with a sip: and a tel: URI). */
function splitValues(values: readonly string[]): string[] {
	return values.flatMap((v) => v.match(/(?:"(?:[^"\\]|\\.)*"|<[^>]*>|[^,])+/g) ?? []).map((v) => v.trim());
}

const verstats: readonly Verstat[] = ['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation'];

function verstatIn(values: readonly string[]): Verstat | null {
	for (const value of values) {
		const found = /verstat=([A-Za-z-]+)/i.exec(value)?.[1];
		const known = verstats.find((v) => v.toLowerCase() === found?.toLowerCase());
		if (known) return known;
	}
	return null;
}

/**
 * Who calls: P-Asserted-Identity (the PBX vouches for it), else Remote-Party-ID (older PBXs),
 * else From. A tel: URI in P-Asserted-Identity wins over a sip: one (it is the real number).
 */
export function callerIdentity(headers: {
	pai: readonly string[];
	rpid: readonly string[];
	from: string;
}): CallerIdentity {
	const fromAddr = parseNameAddr(headers.from);
	const verstat = verstatIn([...headers.pai, headers.from]);
	const pai = splitValues(headers.pai)
		.map(parseNameAddr)
		.filter((a): a is NameAddr => a !== null && a.user !== '')
		.sort((a, b) => Number(b.uri.startsWith('tel:')) - Number(a.uri.startsWith('tel:')));
	if (pai.length) {
		const name = pai.find((a) => a.displayName)?.displayName ?? fromAddr?.displayName ?? null;
		return { number: pai[0].user, displayName: name, source: 'pai', verstat };
	}
	const rpid = splitValues(headers.rpid)
		.map(parseNameAddr)
		.find((a) => a && a.user && (a.params.party ?? 'calling') === 'calling');
	if (rpid)
		return {
			number: rpid.user,
			displayName: rpid.displayName ?? fromAddr?.displayName ?? null,
			source: 'rpid',
			verstat
		};
	return {
		number: fromAddr?.user ?? '',
		displayName: fromAddr?.displayName ?? null,
		source: 'from',
		verstat
	};
}

/** `Call-Info: <sip:pbx>;answer-after=0` (the PBX asks for auto-answer after N seconds), or null. */
export function answerAfter(callInfo: readonly string[]): number | null {
	for (const value of callInfo) {
		const match = /;\s*answer-after\s*=\s*(\d+)/i.exec(value);
		if (match) return Math.min(Number(match[1]), 60);
	}
	return null;
}
