import type { SlaPauseRow, TicketPriority, TicketStatus } from '../../db/schema/tickets';
import {
	BusinessTimeOutOfReach,
	computeDeadline,
	formatWithOffset,
	warningAt,
	type BusinessCalendar,
	type SlaPause
} from './business-calendar';

/*
 * The SLA of one ticket, as columns: pure functions over the stored state, so that the ticket
 * service, the deadline job and the demo seed compute deadlines the same way.
 */

export type ServiceLevel = 'basic' | 'standard' | 'premium';

export interface SlaTarget {
	priority: TicketPriority;
	serviceLevel: ServiceLevel | null;
	firstResponseMinutes: number;
	resolutionMinutes: number;
}

/** A service centre's policy with its calendar compiled. */
export interface SlaSetup {
	policyId: string;
	calendar: BusinessCalendar;
	warningShare: number;
	pauseStatuses: readonly TicketStatus[];
	targets: readonly SlaTarget[];
}

const doneStatuses: readonly TicketStatus[] = ['resolved', 'closed'];

export const isDone = (status: TicketStatus) => doneStatuses.includes(status);

/** The clock stands still in the policy's pause statuses and once the ticket is resolved or closed. */
export function clockStopped(pauseStatuses: readonly TicketStatus[], status: TicketStatus): boolean {
	return isDone(status) || pauseStatuses.includes(status);
}

/** The contract's service level overrides the default target of the priority when the policy says so. */
export function targetFor(
	targets: readonly SlaTarget[],
	priority: TicketPriority,
	serviceLevel: ServiceLevel | null | undefined
): SlaTarget | null {
	return (
		(serviceLevel
			? targets.find((t) => t.priority === priority && t.serviceLevel === serviceLevel)
			: undefined) ??
		targets.find((t) => t.priority === priority && t.serviceLevel === null) ??
		null
	);
}

/** Opens a pause when the clock stops and closes it when the clock runs again. */
export function updatePauses(
	pauses: readonly SlaPauseRow[],
	wasStopped: boolean,
	isStopped: boolean,
	now: Date
): SlaPauseRow[] {
	if (wasStopped === isStopped) return [...pauses];
	if (isStopped) return [...pauses, { from: now.toISOString(), to: null }];
	return pauses.map((p) => (p.to === null ? { ...p, to: now.toISOString() } : p));
}

export interface TicketSlaState {
	status: TicketStatus;
	openedAt: Date;
	slaFirstResponseMinutes: number | null;
	slaResolutionMinutes: number | null;
	slaPauses: readonly SlaPauseRow[];
	slaFirstRespondedAt: Date | null;
	slaFirstResponseDueAt: Date | null;
	slaFirstResponseWarningAt: Date | null;
	slaFirstResponseWarned: boolean;
	slaFirstResponseBreached: boolean;
	slaResolutionDueAt: Date | null;
	slaResolutionWarningAt: Date | null;
	slaResolutionWarned: boolean;
	slaResolutionBreached: boolean;
}

/** The SLA state of a ticket that has just been opened: nothing computed, nothing met or breached. */
export function openedSlaState(input: {
	status: TicketStatus;
	openedAt: Date;
	firstResponseMinutes: number | null;
	resolutionMinutes: number | null;
}): TicketSlaState {
	return {
		status: input.status,
		openedAt: input.openedAt,
		slaFirstResponseMinutes: input.firstResponseMinutes,
		slaResolutionMinutes: input.resolutionMinutes,
		slaPauses: [],
		slaFirstRespondedAt: null,
		slaFirstResponseDueAt: null,
		slaFirstResponseWarningAt: null,
		slaFirstResponseWarned: false,
		slaFirstResponseBreached: false,
		slaResolutionDueAt: null,
		slaResolutionWarningAt: null,
		slaResolutionWarned: false,
		slaResolutionBreached: false
	};
}

export interface TicketSlaColumns {
	slaFirstResponseDueAt: Date | null;
	slaFirstResponseWarningAt: Date | null;
	slaResolutionDueAt: Date | null;
	slaResolutionWarningAt: Date | null;
	slaNextDueAt: Date | null;
	slaNextCheckAt: Date | null;
}

const toPauses = (rows: readonly SlaPauseRow[]): SlaPause[] =>
	rows.map((p) => ({ from: new Date(p.from), to: p.to === null ? null : new Date(p.to) }));

function clock(
	calendar: BusinessCalendar,
	share: number,
	openedAt: Date,
	targetMinutes: number,
	pauses: SlaPause[]
): { dueAt: Date | null; warningAt: Date | null } {
	try {
		return {
			dueAt: computeDeadline(calendar, { openedAt, targetMinutes, pauses, now: openedAt }).dueAt,
			warningAt: warningAt(calendar, { openedAt, targetMinutes, pauses, share })
		};
	} catch (error) {
		// A saved calendar whose closures leave no room for the target within the search bound:
		// the ticket still opens (a customer is on the phone), with no deadline to promise.
		if (error instanceof BusinessTimeOutOfReach) return { dueAt: null, warningAt: null };
		throw error;
	}
}

/**
 * Deadlines, warning instants and what the queue and the deadline job look at next. A deadline
 * already met (first response given, ticket resolved) keeps the value it had, for reporting;
 * while an open pause stops the clock before the target, the deadline is unknown (null).
 */
export function computeTicketSla(
	setup: Pick<SlaSetup, 'calendar' | 'warningShare' | 'pauseStatuses'>,
	state: TicketSlaState
): TicketSlaColumns {
	const pauses = toPauses(state.slaPauses);
	const firstResponseMet = state.slaFirstRespondedAt !== null;
	const resolved = isDone(state.status);

	let firstResponse = { dueAt: state.slaFirstResponseDueAt, warningAt: state.slaFirstResponseWarningAt };
	if (!firstResponseMet && state.slaFirstResponseMinutes !== null) {
		firstResponse = clock(
			setup.calendar,
			setup.warningShare,
			state.openedAt,
			state.slaFirstResponseMinutes,
			pauses
		);
	}
	let resolution = { dueAt: state.slaResolutionDueAt, warningAt: state.slaResolutionWarningAt };
	if (!resolved && state.slaResolutionMinutes !== null) {
		resolution = clock(
			setup.calendar,
			setup.warningShare,
			state.openedAt,
			state.slaResolutionMinutes,
			pauses
		);
	}

	const sla = {
		slaFirstResponseDueAt: firstResponse.dueAt,
		slaFirstResponseWarningAt: firstResponse.warningAt,
		slaResolutionDueAt: resolution.dueAt,
		slaResolutionWarningAt: resolution.warningAt
	};
	return { ...sla, ...pendingInstants(setup.pauseStatuses, { ...state, ...sla }) };
}

/**
 * What the queue counts down to and when the deadline job must look again, from the stored
 * deadlines and flags: nothing is pending while the clock is stopped.
 */
export function pendingInstants(
	pauseStatuses: readonly TicketStatus[],
	state: Omit<TicketSlaState, 'openedAt' | 'slaPauses' | 'slaFirstResponseMinutes' | 'slaResolutionMinutes'>
): { slaNextDueAt: Date | null; slaNextCheckAt: Date | null } {
	const running = !clockStopped(pauseStatuses, state.status);
	const pendingDue: Date[] = [];
	const pendingChecks: Date[] = [];
	if (running && state.slaFirstRespondedAt === null) {
		if (state.slaFirstResponseDueAt) pendingDue.push(state.slaFirstResponseDueAt);
		if (!state.slaFirstResponseWarned && state.slaFirstResponseWarningAt)
			pendingChecks.push(state.slaFirstResponseWarningAt);
		if (!state.slaFirstResponseBreached && state.slaFirstResponseDueAt)
			pendingChecks.push(state.slaFirstResponseDueAt);
	}
	if (running && !isDone(state.status)) {
		if (state.slaResolutionDueAt) pendingDue.push(state.slaResolutionDueAt);
		if (!state.slaResolutionWarned && state.slaResolutionWarningAt)
			pendingChecks.push(state.slaResolutionWarningAt);
		if (!state.slaResolutionBreached && state.slaResolutionDueAt)
			pendingChecks.push(state.slaResolutionDueAt);
	}
	return { slaNextDueAt: earliest(pendingDue), slaNextCheckAt: earliest(pendingChecks) };
}

function earliest(dates: Date[]): Date | null {
	let min: Date | null = null;
	for (const d of dates) if (min === null || d.getTime() < min.getTime()) min = d;
	return min;
}

/** The local year of an instant in the calendar's time zone: ticket numbers restart every year. */
export function localYear(at: Date, timeZone: string): number {
	return Number(formatWithOffset(at, timeZone).slice(0, 4));
}
