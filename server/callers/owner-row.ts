import type { CallerMatch } from './callers.schemas';

/** One owner of a number, as `caller_lookup()` and the caller index read it. */
export interface OwnerRow {
	match: CallerMatch['match'];
	customerId: string | null;
	contactId: string | null;
	prospectId: string | null;
	technicianId: string | null;
	raw: string;
	customerName: string | null;
	contactName: string | null;
	contactCustomerId: string | null;
	contactCompany: string | null;
	prospectName: string | null;
	prospectCompany: string | null;
	technicianName: string | null;
}

/**
 * The match the API returns for an owner row: exactly one of the four owner ids is set. Written
 * without object spreads: the caller index runs it for every number at start-up.
 */
export function toMatch(r: Omit<OwnerRow, 'match'>, match: CallerMatch['match']): CallerMatch {
	const phone = r.raw;
	if (r.customerId) {
		const m: CallerMatch = {
			kind: 'customer',
			id: r.customerId,
			displayName: r.customerName ?? phone,
			customerId: r.customerId,
			phone,
			match
		};
		if (r.customerName) m.companyName = r.customerName;
		return m;
	}
	if (r.contactId) {
		const m: CallerMatch = {
			kind: 'contact',
			id: r.contactId,
			displayName: r.contactName ?? phone,
			phone,
			match
		};
		if (r.contactCustomerId) m.customerId = r.contactCustomerId;
		if (r.contactCompany) m.companyName = r.contactCompany;
		return m;
	}
	if (r.prospectId) {
		const m: CallerMatch = {
			kind: 'prospect',
			id: r.prospectId,
			displayName: r.prospectName ?? r.prospectCompany ?? phone,
			phone,
			match
		};
		if (r.prospectCompany) m.companyName = r.prospectCompany;
		return m;
	}
	return { kind: 'technician', id: r.technicianId!, displayName: r.technicianName ?? phone, phone, match };
}
