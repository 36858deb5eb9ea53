import { prepareTemplate } from '../support/databases';

// Every project of integration tests (the awkward-clock runs too) names this setup; the
// template is built once per run, before any test file clones it.
let prepared: Promise<void> | undefined;

export default async function setup() {
	prepared ??= prepareTemplate();
	await prepared;
}
