/** Structured one-line logs on stderr; the level comes from the config at start-up. */
const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;
let threshold: number = levels.info;

export function setLogLevel(level: Level) {
	threshold = levels[level];
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
	if (levels[level] < threshold) return;
	process.stderr.write(formatLine(level, message, fields));
}

export function formatLine(level: Level, message: string, fields?: Record<string, unknown>): string {
	const extra = fields ? ' ' + JSON.stringify(fields, redact) : '';
	return `${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`;
}

/**
 * The values a query was run with never reach the log: a failed insert into users carries the
 * password hash. Drizzle puts them in `params` and in its error message, postgres.js in
 * `parameters` and `args`, PostgreSQL in `detail` ("Failing row contains (...)") and `where`.
 */
const queryValueFields = new Set([
	'params',
	'parameters',
	'args',
	'types',
	'detail',
	'where',
	'internal_query'
]);
const secretField = /pass(word|wd)|hash|secret|token|cookie|authorization|credential|api_?key/i;

function redact(key: string, value: unknown): unknown {
	if (queryValueFields.has(key)) return undefined;
	if (key !== '' && secretField.test(key) && value !== null && value !== undefined) return '[redacted]';
	return value instanceof Error ? errorFields(value) : value;
}

/** An error as loggable fields: its message and stack without query values, and its cause. */
function errorFields(error: Error): Record<string, unknown> {
	const message = withoutQueryValues(error);
	// The stack repeats the message: keep only its frames.
	const frames = error.stack?.split('\n').filter((line) => /^\s+at /.test(line)) ?? [];
	const stack = [`${error.name}: ${message}`, ...frames].join('\n');
	// Own enumerable fields (postgres.js: code, constraint_name, table_name...); `redact` then
	// drops the value-bearing ones as JSON.stringify walks into this object.
	return { ...error, name: error.name, message, stack, cause: error.cause };
}

function withoutQueryValues(error: Error): string {
	// Drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>".
	if ('params' in error && 'query' in error) return error.message.replace(/\nparams: [\s\S]*$/, '');
	return error.message;
}

export const log = {
	debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
	info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
	warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
	error: (m: string, f?: Record<string, unknown>) => write('error', m, f)
};
