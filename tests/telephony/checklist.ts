/** A tiny named-check runner for the rig's self-check scripts: PASS/FAIL lines and a summary. */
export class Checklist {
	private readonly results: { name: string; ok: boolean }[] = [];

	/** Runs one check; a thrown error fails it. The returned string is printed as detail. */
	async check(name: string, body: () => Promise<string | void>): Promise<boolean> {
		const started = Date.now();
		try {
			const detail = (await body()) ?? '';
			this.results.push({ name, ok: true });
			console.log(`PASS ${name} (${Date.now() - started} ms)${detail ? ` - ${detail}` : ''}`);
			return true;
		} catch (error) {
			this.results.push({ name, ok: false });
			console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
			return false;
		}
	}

	/** Prints "N passed, M failed" and returns the exit code. */
	report(): number {
		const failed = this.results.filter((r) => !r.ok).length;
		console.log(`${this.results.length - failed} passed, ${failed} failed`);
		return failed === 0 ? 0 : 1;
	}
}

export function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
