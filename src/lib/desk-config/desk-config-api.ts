import type {
	ActionReasonConfig,
	ActionReasonInput,
	AssignmentRuleConfig,
	AssignmentRuleInput,
	AutomaticRuleConfig,
	AutomaticRuleInput,
	CalendarView,
	CategoryConfig,
	CategoryInput,
	CenterInput,
	CenterPatch,
	DeskCenter,
	DeskConfig,
	GroupConfig,
	GroupOption,
	HolidayRegion,
	NotificationRuleConfig,
	NotificationRuleInput,
	SlaPolicyConfig,
	SlaPolicyInput
} from '$server/desk-config/desk-config.schemas';
import type { SlaPreviewInput, SlaPreviewResult } from '$server/sla/sla.schemas';
import type { AuditEntry } from '$server/audit/audit.schemas';
import type { BusinessCalendarConfig, BusinessCalendarInput } from '$server/sla/business-calendar';
import { api, call } from '$lib/api/client';

export type {
	ActionReasonConfig,
	ActionReasonInput,
	AssignmentRuleConfig,
	AssignmentRuleInput,
	AutomaticRuleConfig,
	AutomaticRuleInput,
	AuditEntry,
	BusinessCalendarConfig,
	BusinessCalendarInput,
	CalendarView,
	CategoryConfig,
	CategoryInput,
	CenterInput,
	CenterPatch,
	DeskCenter,
	DeskConfig,
	GroupConfig,
	GroupOption,
	HolidayRegion,
	NotificationRuleConfig,
	NotificationRuleInput,
	SlaPolicyConfig,
	SlaPolicyInput,
	SlaPreviewInput,
	SlaPreviewResult
};

const desk = api['desk-config'];
const centre = desk.centers[':centerId'];

export async function listDeskCenters(): Promise<DeskCenter[]> {
	return (await call(() => desk.centers.$get())).items;
}

export function createCenter(input: CenterInput): Promise<DeskCenter> {
	return call(() => desk.centers.$post({ json: input }));
}

/** A partial change against the version read (409 if it moved on); the server writes the trail. */
export function updateCenter(
	center: Pick<DeskCenter, 'id' | 'version'>,
	patch: Omit<CenterPatch, 'version'>
): Promise<DeskCenter> {
	return call(() =>
		centre.$patch({ param: { centerId: center.id }, json: { ...patch, version: center.version } })
	);
}

export async function centerAuditTrail(centerId: string): Promise<AuditEntry[]> {
	return (await call(() => centre.audit.$get({ param: { centerId } }))).items;
}

/** Every group of every centre, for choosing a person's groups. */
export async function listGroupOptions(): Promise<GroupOption[]> {
	return (await call(() => desk.groups.$get())).items;
}

export function getDeskConfig(centerId: string): Promise<DeskConfig> {
	return call(() => centre.$get({ param: { centerId } }));
}

export async function listCalendars(): Promise<CalendarView[]> {
	return (await call(() => desk.calendars.$get())).items;
}

export async function listHolidayRegions(): Promise<HolidayRegion[]> {
	return (await call(() => desk['holiday-regions'].$get())).items;
}

export function saveCalendar(
	id: string | null,
	input: { name: string; config: BusinessCalendarInput; version?: number }
): Promise<CalendarView> {
	const { version, ...calendar } = input;
	return id
		? call(() => desk.calendars[':id'].$put({ param: { id }, json: { ...calendar, version: version ?? 1 } }))
		: call(() => desk.calendars.$post({ json: calendar }));
}

export function saveSlaPolicy(centerId: string, policy: SlaPolicyInput): Promise<SlaPolicyConfig> {
	return call(() => centre['sla-policy'].$put({ param: { centerId }, json: policy }));
}

export function previewSla(input: SlaPreviewInput): Promise<SlaPreviewResult> {
	return call(() => api.sla.preview.$post({ json: input }));
}

export function saveCategory(
	centerId: string,
	id: string | null,
	category: CategoryInput
): Promise<CategoryConfig> {
	return id
		? call(() => centre.categories[':id'].$put({ param: { centerId, id }, json: category }))
		: call(() => centre.categories.$post({ param: { centerId }, json: category }));
}

export function saveActionReason(
	centerId: string,
	id: string | null,
	reason: ActionReasonInput & { version?: number }
): Promise<ActionReasonConfig> {
	const { version, ...body } = reason;
	return id
		? call(() =>
				centre['action-reasons'][':id'].$put({
					param: { centerId, id },
					json: { ...body, version: version ?? 1 }
				})
			)
		: call(() => centre['action-reasons'].$post({ param: { centerId }, json: body }));
}

export function saveAssignmentRule(
	centerId: string,
	id: string | null,
	rule: AssignmentRuleInput
): Promise<AssignmentRuleConfig> {
	return id
		? call(() => centre['assignment-rules'][':id'].$put({ param: { centerId, id }, json: rule }))
		: call(() => centre['assignment-rules'].$post({ param: { centerId }, json: rule }));
}

export async function reorderAssignmentRules(
	centerId: string,
	ids: string[]
): Promise<AssignmentRuleConfig[]> {
	return (await call(() => centre['assignment-rules-order'].$put({ param: { centerId }, json: { ids } })))
		.items;
}

export function saveAutomaticRule(
	centerId: string,
	id: string | null,
	rule: AutomaticRuleInput
): Promise<AutomaticRuleConfig> {
	return id
		? call(() => centre['automatic-rules'][':id'].$put({ param: { centerId, id }, json: rule }))
		: call(() => centre['automatic-rules'].$post({ param: { centerId }, json: rule }));
}

export function saveNotificationRule(
	centerId: string,
	id: string | null,
	rule: NotificationRuleInput
): Promise<NotificationRuleConfig> {
	return id
		? call(() => centre['notification-rules'][':id'].$put({ param: { centerId, id }, json: rule }))
		: call(() => centre['notification-rules'].$post({ param: { centerId }, json: rule }));
}

export function saveGroup(centerId: string, id: string | null, name: string): Promise<GroupConfig> {
	return id
		? call(() => centre.groups[':id'].$put({ param: { centerId, id }, json: { name } }))
		: call(() => centre.groups.$post({ param: { centerId }, json: { name } }));
}

export function deleteGroup(centerId: string, id: string): Promise<void> {
	return call(() => centre.groups[':id'].$delete({ param: { centerId, id } }));
}

export function setGroupMembers(centerId: string, id: string, userIds: string[]): Promise<GroupConfig> {
	return call(() => centre.groups[':id'].members.$put({ param: { centerId, id }, json: { userIds } }));
}
