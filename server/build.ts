import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const buildDir = path.join(rootDir, 'build');
const stampFile = path.join(buildDir, '.built-at');

/** What the client bundle is made of: a change to any of these needs a new build. */
const inputs = [
	'src',
	'static',
	'server',
	'db/schema',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];

function newestMtime(target: string): number {
	if (!existsSync(target)) return 0;
	const stat = statSync(target);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(target)) {
		if (entry === 'node_modules' || entry.startsWith('.')) continue;
		newest = Math.max(newest, newestMtime(path.join(target, entry)));
	}
	return newest;
}

export function buildIsStale(): boolean {
	if (!existsSync(stampFile) || !existsSync(path.join(buildDir, 'handler.js'))) return true;
	const built = statSync(stampFile).mtimeMs;
	return inputs.some((input) => newestMtime(path.join(rootDir, input)) > built);
}

export function markBuilt() {
	writeFileSync(stampFile, new Date().toISOString());
}

/** `npm start` builds the production bundle first when it is missing or older than the sources. */
export function ensureBuild(log: (m: string) => void) {
	if (!buildIsStale()) return;
	log('building the console (first start or changed sources)...');
	const vite = path.join(rootDir, 'node_modules', '.bin', 'vite');
	const result = spawnSync(vite, ['build'], {
		cwd: rootDir,
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (result.status !== 0) throw new Error('vite build failed');
	markBuilt();
}
