/**
 * Text PostgreSQL cannot store or that no client sent on purpose: a NUL character, or a
 * UTF-16 surrogate without its pair (what a broken encoder leaves). Refused at the edge, once,
 * for every JSON body, query string and socket payload, naming where it was found.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const unsafeText = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isUnsafeText = (text: string) => unsafeText.test(text);

/** The same text with every unsafe character replaced by U+FFFD, fit to echo in a message. */
export const replaceUnsafeText = (text: string) => text.replace(new RegExp(unsafeText, 'g'), '\uFFFD');

/** Deeper than any payload of ours; walking deeper is only work an attacker asked for. */
export const maxPayloadDepth = 32;

export type PayloadProblem = { kind: 'unsafe_text' | 'too_deep'; field: string };

/** The first problem in a parsed JSON value, walked without recursion. */
export function findPayloadProblem(value: unknown, root = ''): PayloadProblem | null {
	const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
	while (stack.length) {
		const { value, path, depth } = stack.pop()!;
		if (typeof value === 'string') {
			if (isUnsafeText(value)) return { kind: 'unsafe_text', field: path };
			continue;
		}
		if (value === null || typeof value !== 'object') continue;
		if (depth >= maxPayloadDepth) return { kind: 'too_deep', field: path };
		const entries = Array.isArray(value)
			? value.map((v, i) => [String(i), v] as const)
			: Object.entries(value);
		for (const [key, child] of entries) {
			const childPath = path ? `${path}.${key}` : key;
			if (isUnsafeText(key)) return { kind: 'unsafe_text', field: replaceUnsafeText(childPath) };
			stack.push({ value: child, path: childPath, depth: depth + 1 });
		}
	}
	return null;
}

export function describePayloadProblem(problem: PayloadProblem): string {
	const where = problem.field ? `${problem.field}: ` : '';
	return problem.kind === 'unsafe_text'
		? `${where}text must not contain NUL characters or unpaired surrogates`
		: `${where}nested deeper than ${maxPayloadDepth} levels`;
}
