import type { SlaPolicyConfig, SlaPolicyInput } from './desk-config-api';

export const priorities = ['urgent', 'high', 'normal', 'low'] as const;
export const serviceLevels = ['basic', 'standard', 'premium'] as const;
export type Priority = (typeof priorities)[number];
export type ServiceLevel = (typeof serviceLevels)[number];
/** A column of the targets table: the default of the priority, or a service level's override. */
export type TargetColumn = 'default' | ServiceLevel;
export const targetColumns: readonly TargetColumn[] = ['default', ...serviceLevels];

/** Hours as the administrator types them; null is an empty cell (no override). */
export interface TargetCell {
	firstResponseHours: number | null;
	resolutionHours: number | null;
}
export type TargetTable = Record<Priority, Record<TargetColumn, TargetCell>>;
/** The two inputs of a cell: the field, its label's i18n key, and the suffix of its test id. */
export const targetFields = [
	{ key: 'firstResponseHours', label: 'desk.sla.firstResponse', testId: 'first' },
	{ key: 'resolutionHours', label: 'desk.sla.resolution', testId: 'resolution' }
] as const satisfies ReadonlyArray<{ key: keyof TargetCell; label: string; testId: string }>;
type Target = SlaPolicyInput['targets'][number];

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
const minutes = (hours: number) => Math.round(hours * 60);

export function targetTable(targets: SlaPolicyConfig['targets']): TargetTable {
	const table = Object.fromEntries(
		priorities.map((p) => [
			p,
			Object.fromEntries(targetColumns.map((c) => [c, { firstResponseHours: null, resolutionHours: null }]))
		])
	) as TargetTable;
	for (const t of targets) {
		table[t.priority][t.serviceLevel ?? 'default'] = {
			firstResponseHours: hours(t.firstResponseMinutes),
			resolutionHours: hours(t.resolutionMinutes)
		};
	}
	return table;
}

const filled = (cell: TargetCell) => cell.firstResponseHours !== null && cell.resolutionHours !== null;

/** The filled cells as targets in business minutes; a half-filled cell is reported, not guessed. */
export function targetsOf(
	table: TargetTable
):
	| { targets: Target[]; incomplete: null }
	| { targets: null; incomplete: { priority: Priority; column: TargetColumn } } {
	const targets: Target[] = [];
	for (const priority of priorities) {
		for (const column of targetColumns) {
			const cell = table[priority][column];
			const empty = cell.firstResponseHours === null && cell.resolutionHours === null;
			if (empty) continue;
			if (!filled(cell)) return { targets: null, incomplete: { priority, column } };
			targets.push({
				priority,
				serviceLevel: column === 'default' ? null : column,
				firstResponseMinutes: minutes(cell.firstResponseHours!),
				resolutionMinutes: minutes(cell.resolutionHours!)
			});
		}
	}
	return { targets, incomplete: null };
}

/** The target a ticket of that priority and service level would get: the level's override, else the default. */
export function draftTarget(
	table: TargetTable,
	priority: Priority,
	level: ServiceLevel | null
): { firstResponseMinutes: number; resolutionMinutes: number } | null {
	const override = level ? table[priority][level] : null;
	const cell = override && filled(override) ? override : table[priority].default;
	if (!filled(cell) || cell.firstResponseHours! <= 0 || cell.resolutionHours! <= 0) return null;
	return {
		firstResponseMinutes: minutes(cell.firstResponseHours!),
		resolutionMinutes: minutes(cell.resolutionHours!)
	};
}
