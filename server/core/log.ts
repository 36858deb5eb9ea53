/** Structured one-line logs on stderr; the level comes from the config at start-up. */
const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;
let threshold: number = levels.info;

export function setLogLevel(level: Level) {
	threshold = levels[level];
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
	if (levels[level] < threshold) return;
	const extra = fields
		? ' ' +
			JSON.stringify(fields, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))
		: '';
	process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`);
}

export const log = {
	debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
	info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
	warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
	error: (m: string, f?: Record<string, unknown>) => write('error', m, f)
};
