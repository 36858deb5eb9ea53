/**
 * The small set of errors a service may throw. One mapper turns them into HTTP responses
 * (server/core/http-errors.ts), one into Socket.IO acknowledgements (server/realtime/ack.ts).
 */
export const errorCodes = [
	'bad_request',
	'unauthorized',
	'forbidden',
	'not_found',
	'conflict',
	'payload_too_large',
	'unsupported_media_type',
	'rate_limited',
	'unavailable',
	'internal'
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/**
 * Why a field was refused, in words a client can translate: `too_big` with `limit` 120 and `unit`
 * `characters` reads "at most 120 characters" in any language. The English `message` stays for
 * API users and logs; a client shows the issue and never the message.
 */
export const validationIssues = [
	'required',
	'too_small',
	'too_big',
	'invalid_format',
	'invalid_value',
	'invalid_type',
	'unknown_field',
	'taken',
	'missing_reference',
	'in_use',
	'invalid'
] as const;
export type ValidationIssue = (typeof validationIssues)[number];
/** What `limit` counts: characters of a text, items of a list; absent for a number's value. */
export const limitUnits = ['characters', 'items'] as const;
export type LimitUnit = (typeof limitUnits)[number];

export interface ErrorDetail {
	issue?: ValidationIssue;
	limit?: number;
	unit?: LimitUnit;
}

const statusByCode: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503 | 500> = {
	bad_request: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	payload_too_large: 413,
	unsupported_media_type: 415,
	rate_limited: 429,
	unavailable: 503,
	internal: 500
};

export class AppError extends Error {
	override name = 'AppError';
	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly field?: string,
		readonly detail: ErrorDetail = {}
	) {
		super(message);
	}
	get status() {
		return statusByCode[this.code];
	}
}

export const badRequest = (message: string, field?: string, detail?: ErrorDetail) =>
	new AppError('bad_request', message, field, detail);
export const unauthorized = (message = 'Authentication required') => new AppError('unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('forbidden', message);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const conflict = (message: string, field?: string, detail?: ErrorDetail) =>
	new AppError('conflict', message, field, detail);
export const rateLimited = (message: string) => new AppError('rate_limited', message);

export interface ErrorBody {
	error: { code: ErrorCode; message: string; field?: string } & ErrorDetail;
}

/**
 * Anything that is not an AppError is an internal error: its details stay in the server log.
 * A constraint PostgreSQL enforced is the client's mistake, not ours: it becomes a 400 or 409
 * naming the field, so a service need not check every foreign key before writing.
 */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
	error = fromDatabaseError(error) ?? error;
	if (error instanceof AppError) {
		const body: ErrorBody = { error: { code: error.code, message: error.message } };
		if (error.field) body.error.field = error.field;
		const { issue, limit, unit } = error.detail;
		if (issue) body.error.issue = issue;
		if (limit !== undefined) body.error.limit = limit;
		if (unit) body.error.unit = unit;
		return { status: error.status, body };
	}
	return { status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } };
}

/** The parts of a PostgreSQL error (postgres.js `PostgresError`) the mapping reads. */
export interface DatabaseErrorLike {
	code: string;
	column_name?: string;
	constraint_name?: string;
	detail?: string;
}

export function databaseErrorOf(error: unknown): DatabaseErrorLike | null {
	// drizzle wraps the driver's error in DrizzleQueryError: look down the cause chain.
	for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
		const candidate = e as Partial<DatabaseErrorLike> & { name?: string; cause?: unknown };
		if (candidate.name === 'PostgresError' && typeof candidate.code === 'string') {
			return candidate as DatabaseErrorLike;
		}
		e = candidate.cause;
	}
	return null;
}

const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** `Key (sip_extension)=(1001) already exists.` -> `sipExtension`; composite keys name the first. */
function fieldOf(error: DatabaseErrorLike): string | undefined {
	const column = error.column_name ?? /^Key \(([a-z0-9_]+)/.exec(error.detail ?? '')?.[1];
	return column ? snakeToCamel(column) : undefined;
}

/** Maps the constraint and data errors a client can cause; anything else stays internal. */
export function fromDatabaseError(error: unknown): AppError | null {
	const db = databaseErrorOf(error);
	if (!db) return null;
	const field = fieldOf(db);
	const named = field ? `${field}: ` : '';
	switch (db.code) {
		case '23505': // unique_violation
			return conflict(`${named}this value is already taken`, field, { issue: 'taken' });
		case '23503': // foreign_key_violation
			return /is still referenced/.test(db.detail ?? '')
				? conflict(`${named}still in use by other records`, field, { issue: 'in_use' })
				: badRequest(`${named}refers to a record that does not exist`, field, { issue: 'missing_reference' });
		case '23502': // not_null_violation
			return badRequest(`${named}is required`, field, { issue: 'required' });
		case '23514': // check_violation
		case '23P01': // exclusion_violation
			return badRequest(`${named}is not allowed (${db.constraint_name ?? 'constraint'})`, field, {
				issue: 'invalid'
			});
		case '22001': // string_data_right_truncation
			return badRequest(`${named}is too long`, field, { issue: 'too_big' });
		case '22003': // numeric_value_out_of_range
			return badRequest(`${named}is out of range`, field, { issue: 'invalid_value' });
		case '22007': // invalid_datetime_format
		case '22008': // datetime_field_overflow
			return badRequest(`${named}is not a valid date`, field, { issue: 'invalid_format' });
		case '22P02': // invalid_text_representation (a malformed uuid, number...)
		case '22021': // character_not_in_repertoire (NUL and invalid UTF-8)
		case '22P05': // untranslatable_character
			return badRequest(`${named}is not valid`, field, { issue: 'invalid_format' });
		case '40001': // serialization_failure
		case '40P01': // deadlock_detected
			return conflict('The record changed at the same moment: try again');
		default:
			return null;
	}
}
