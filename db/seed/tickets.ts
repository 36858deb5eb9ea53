import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database } from '../client';
import {
	actionReasons,
	assignmentRules,
	automaticRules,
	businessCalendars,
	customers,
	machines,
	notificationRules,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	slaPolicies,
	slaTargets,
	ticketCategories,
	ticketCounters,
	ticketHistory,
	tickets,
	users,
	type ActionEffects,
	type ActionChannel,
	type Role,
	type TicketOrigin,
	type TicketPriority,
	type TicketStatus
} from '../schema';
import { BusinessCalendar, demoBusinessCalendar } from '../../server/sla/business-calendar';
import {
	openedSlaState,
	clockStopped,
	computeTicketSla,
	localYear,
	targetFor,
	type SlaTarget
} from '../../server/sla/ticket-sla';
import { Random } from './random';

/*
 * The support desk of the demo company: the business calendar, SLA policies, categories,
 * action reasons (causali) and rules of its service centres, and a few dozen open tickets.
 * It looks the centres, groups and people up by code, name and username, so it runs after
 * seedDemo on the same database.
 */

const openStatuses: TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_parts'];

export interface ActionReasonDefinition {
	code: string;
	name: string;
	allowedFrom: TicketStatus[];
	allowedRoles: Role[];
	effects: ActionEffects;
	defaultChannel: ActionChannel;
	public: boolean;
}

/** The causali of every demo service centre, in the order the ticket screen lists them. */
export const demoActionReasons: ActionReasonDefinition[] = [
	{
		code: 'PRESA',
		name: 'Presa in carico',
		allowedFrom: ['new', 'assigned'],
		allowedRoles: [],
		effects: { assign: 'take', setStatus: 'in_progress' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'RISPOSTA',
		name: 'Risposta al cliente',
		allowedFrom: ['new', 'assigned', 'in_progress'],
		allowedRoles: [],
		effects: { note: 'required', setStatus: 'in_progress' },
		defaultChannel: 'email',
		public: true
	},
	{
		// The note is the e-mail's text; the operator may append the ticket's public history.
		code: 'RISPOSTA_EMAIL',
		name: 'Risposta al cliente (e-mail)',
		allowedFrom: openStatuses,
		allowedRoles: [],
		effects: { note: 'required', message: { to: 'contact', includeHistory: 'optional' } },
		defaultChannel: 'email',
		public: true
	},
	{
		code: 'TELEFONATA',
		name: 'Telefonata al cliente',
		allowedFrom: openStatuses,
		allowedRoles: [],
		effects: { note: 'optional' },
		defaultChannel: 'phone',
		public: true
	},
	{
		code: 'NOTA',
		name: 'Nota interna',
		allowedFrom: [],
		allowedRoles: [],
		effects: { note: 'required' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'ASSEGNA',
		name: 'Assegna',
		allowedFrom: openStatuses,
		allowedRoles: ['supervisor', 'dispatcher', 'admin'],
		effects: { assign: 'choose' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'INOLTRO',
		name: 'Inoltra a un altro gruppo',
		allowedFrom: ['new', 'assigned', 'in_progress'],
		allowedRoles: [],
		effects: { assign: 'choose', note: 'required' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'RILASCIO',
		name: 'Rilascia in coda',
		allowedFrom: ['assigned', 'in_progress'],
		allowedRoles: [],
		effects: { assign: 'release' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'RICODA',
		name: 'Riassegna secondo le regole',
		allowedFrom: ['new', 'assigned', 'in_progress'],
		allowedRoles: ['supervisor', 'admin'],
		effects: { assign: 'requeue' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'ATTESA_CLIENTE',
		name: 'In attesa del cliente',
		allowedFrom: ['assigned', 'in_progress'],
		allowedRoles: [],
		effects: { setStatus: 'waiting_customer', note: 'required' },
		defaultChannel: 'email',
		public: true
	},
	{
		code: 'ATTESA_RICAMBI',
		name: 'In attesa di ricambi',
		allowedFrom: ['assigned', 'in_progress'],
		allowedRoles: [],
		effects: { setStatus: 'waiting_parts' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'RIPRESA',
		name: 'Riprendi la lavorazione',
		allowedFrom: ['waiting_customer', 'waiting_parts'],
		allowedRoles: [],
		effects: { setStatus: 'in_progress' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'INTERVENTO',
		name: 'Pianifica intervento tecnico',
		allowedFrom: ['assigned', 'in_progress', 'waiting_parts'],
		allowedRoles: ['agent', 'dispatcher', 'supervisor'],
		effects: { scheduleAppointment: true, setStatus: 'in_progress' },
		defaultChannel: 'phone',
		public: true
	},
	{
		code: 'ESCALATION',
		name: 'Segnala al responsabile',
		allowedFrom: openStatuses,
		allowedRoles: [],
		effects: { note: 'required', notify: ['service_center_head'] },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'RISOLTO',
		name: 'Risolto',
		allowedFrom: ['assigned', 'in_progress', 'waiting_customer', 'waiting_parts'],
		allowedRoles: [],
		effects: { setStatus: 'resolved', note: 'required' },
		defaultChannel: 'email',
		public: true
	},
	{
		code: 'CHIUSURA',
		name: 'Chiudi',
		allowedFrom: ['resolved'],
		allowedRoles: [],
		effects: { setStatus: 'closed' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'CHIUSURA_UFFICIO',
		name: "Chiusura d'ufficio",
		allowedFrom: openStatuses,
		allowedRoles: ['supervisor', 'admin'],
		effects: { setStatus: 'closed', note: 'required' },
		defaultChannel: 'internal',
		public: false
	},
	{
		code: 'RIAPRI',
		name: 'Riapri',
		allowedFrom: ['resolved', 'closed'],
		allowedRoles: ['agent', 'supervisor', 'admin'],
		effects: { setStatus: 'in_progress', note: 'required' },
		defaultChannel: 'internal',
		public: false
	}
];

const hours = (h: number) => h * 60;

/** Business hours, per the issue: urgent 1h/8h, high 2h/16h, normal 4h/40h, low 8h/80h. */
export const demoSlaTargets: SlaTarget[] = [
	{ priority: 'urgent', serviceLevel: null, firstResponseMinutes: hours(1), resolutionMinutes: hours(8) },
	{ priority: 'high', serviceLevel: null, firstResponseMinutes: hours(2), resolutionMinutes: hours(16) },
	{ priority: 'normal', serviceLevel: null, firstResponseMinutes: hours(4), resolutionMinutes: hours(40) },
	{ priority: 'low', serviceLevel: null, firstResponseMinutes: hours(8), resolutionMinutes: hours(80) }
];

/** Premium contracts buy half the time (the Assistenza tecnica centre only). */
const premiumTargets: SlaTarget[] = demoSlaTargets.map((t) => ({
	...t,
	serviceLevel: 'premium',
	firstResponseMinutes: t.firstResponseMinutes / 2,
	resolutionMinutes: t.resolutionMinutes / 2
}));

const categoryTree: Record<string, Array<[string, string, Array<[string, string]>]>> = {
	AT: [
		[
			'GUASTO',
			'Guasto',
			[
				['GUASTO_ELE', 'Elettrico'],
				['GUASTO_MEC', 'Meccanico'],
				['GUASTO_SW', 'Software e controllo']
			]
		],
		[
			'MANUT',
			'Manutenzione',
			[
				['MANUT_PROG', 'Programmata'],
				['MANUT_STRA', 'Straordinaria']
			]
		],
		['INSTALL', 'Installazione e avviamento', []],
		[
			'INFO',
			'Richiesta informazioni',
			[
				['INFO_CONTR', 'Contratto'],
				['INFO_GAR', 'Garanzia']
			]
		]
	],
	AM: [
		[
			'FATT',
			'Fatturazione',
			[
				['FATT_ERR', 'Fattura errata'],
				['FATT_COPIA', 'Copia fattura']
			]
		],
		['PAGAM', 'Pagamenti', []]
	],
	CO: [
		['OFFERTA', 'Richiesta offerta', []],
		['RICAMBI', 'Ricambi', []],
		['RINNOVO', 'Rinnovo contratto', []]
	]
};

const demoTitles: Array<[string, TicketPriority, string]> = [
	['Macchina ferma: allarme E12 sul pannello', 'urgent', 'GUASTO_ELE'],
	['Perdita di olio dal circuito idraulico', 'high', 'GUASTO_MEC'],
	['Cella frigorifera non raggiunge la temperatura', 'urgent', 'GUASTO_ELE'],
	['Rumore anomalo del mandrino ad alti giri', 'high', 'GUASTO_MEC'],
	['Caldaia in blocco dopo il riavvio', 'urgent', 'GUASTO_ELE'],
	['Display del controllo non si accende', 'high', 'GUASTO_SW'],
	['Aggiornamento del software PLC', 'normal', 'GUASTO_SW'],
	['Richiesta manutenzione programmata semestrale', 'low', 'MANUT_PROG'],
	['Sostituzione filtri prima della scadenza', 'normal', 'MANUT_STRA'],
	['Avviamento della nuova linea di confezionamento', 'normal', 'INSTALL'],
	['Vibrazioni durante il ciclo di lavoro', 'normal', 'GUASTO_MEC'],
	['Errore di comunicazione con il gestionale', 'normal', 'GUASTO_SW'],
	['Richiesta copia del contratto di manutenzione', 'low', 'INFO_CONTR'],
	['Verifica copertura della garanzia ricambi', 'low', 'INFO_GAR'],
	['Pressione dell’impianto instabile', 'high', 'GUASTO_MEC'],
	['Scatta il differenziale all’accensione', 'urgent', 'GUASTO_ELE']
];

/** Seeds the support desk; does nothing when the Assistenza tecnica centre already has an SLA policy. */
export async function seedTicketsDemo(
	db: Database,
	options: { now?: Date; log?: (message: string) => void } = {}
): Promise<{ tickets: number }> {
	const now = options.now ?? new Date();
	const random = new Random(20_261_123);
	const centres = await db
		.select()
		.from(serviceCenters)
		.where(inArray(serviceCenters.code, ['AT', 'AM', 'CO']));
	const at = centres.find((c) => c.code === 'AT');
	if (!at) throw new Error('seedTicketsDemo needs the demo service centre AT (run seedDemo first)');
	const [existing] = await db
		.select({ id: slaPolicies.id })
		.from(slaPolicies)
		.where(eq(slaPolicies.serviceCenterId, at.id));
	if (existing) return { tickets: 0 };

	const people = await db
		.select({ id: users.id, username: users.username, displayName: users.displayName })
		.from(users);
	const userId = (username: string) => {
		const found = people.find((p) => p.username === username);
		if (!found) throw new Error(`seedTicketsDemo needs the demo user ${username}`);
		return found.id;
	};
	const groups = await db.select().from(serviceGroups).where(eq(serviceGroups.serviceCenterId, at.id));
	const groupId = (name: string) => {
		const found = groups.find((g) => g.name === name);
		if (!found) throw new Error(`seedTicketsDemo needs the group ${name} of AT`);
		return found.id;
	};
	const firstLevel = groupId('Primo livello');
	const secondLevel = groupId('Secondo livello');
	const members = await db
		.select()
		.from(serviceGroupMembers)
		.where(inArray(serviceGroupMembers.groupId, [firstLevel, secondLevel]));

	let created = 0;
	await db.transaction(async (tx) => {
		const [calendar] = await tx
			.insert(businessCalendars)
			.values({ name: 'Milano: lun-ven 8:30-12:30, 14-18', config: demoBusinessCalendar })
			.returning();
		const categoryIds = new Map<string, string>();
		for (const centre of centres) {
			const [policy] = await tx
				.insert(slaPolicies)
				.values({ serviceCenterId: centre.id, calendarId: calendar.id })
				.returning();
			const targets = centre.code === 'AT' ? [...demoSlaTargets, ...premiumTargets] : demoSlaTargets;
			await tx.insert(slaTargets).values(targets.map((t) => ({ ...t, policyId: policy.id })));
			await tx
				.insert(actionReasons)
				.values(demoActionReasons.map((r, i) => ({ ...r, serviceCenterId: centre.id, sortOrder: i })));
			let order = 0;
			for (const [code, name, children] of categoryTree[centre.code] ?? []) {
				const parentId = randomUUID();
				categoryIds.set(code, parentId);
				await tx
					.insert(ticketCategories)
					.values({ id: parentId, serviceCenterId: centre.id, code, name, sortOrder: order++ });
				for (const [childCode, childName] of children) {
					const id = randomUUID();
					categoryIds.set(childCode, id);
					await tx.insert(ticketCategories).values({
						id,
						serviceCenterId: centre.id,
						parentId,
						code: childCode,
						name: childName,
						sortOrder: order++
					});
				}
			}
		}

		await tx.insert(assignmentRules).values([
			{
				serviceCenterId: at.id,
				position: 1,
				name: 'Urgenti al secondo livello, al meno carico',
				conditions: { priorities: ['urgent'] },
				target: 'group',
				targetGroupId: secondLevel,
				distribution: 'least_loaded'
			},
			{
				serviceCenterId: at.id,
				position: 2,
				name: 'Contratti premium al secondo livello, a turno',
				conditions: { serviceLevels: ['premium'] },
				target: 'group',
				targetGroupId: secondLevel,
				distribution: 'round_robin'
			},
			{
				serviceCenterId: at.id,
				position: 3,
				name: 'Richieste di informazioni: assegnazione manuale',
				conditions: { categoryIds: [categoryIds.get('INFO')!] },
				target: 'manual'
			},
			{
				serviceCenterId: at.id,
				position: 4,
				name: 'Tutto il resto alla coda del primo livello',
				conditions: {},
				target: 'group',
				targetGroupId: firstLevel,
				distribution: 'queue'
			}
		]);
		await tx.insert(automaticRules).values([
			// 5 and 10 business days of the demo calendar (8 working hours a day).
			{
				serviceCenterId: at.id,
				name: 'Sollecito dopo 5 giorni lavorativi in attesa del cliente',
				trigger: 'status_held',
				status: 'waiting_customer',
				afterMinutes: 5 * 8 * 60,
				action: 'remind_customer',
				recipients: ['owner']
			},
			{
				serviceCenterId: at.id,
				name: 'Chiusura dopo 10 giorni lavorativi in attesa del cliente',
				trigger: 'status_held',
				status: 'waiting_customer',
				afterMinutes: 10 * 8 * 60,
				action: 'close',
				recipients: ['owner']
			},
			{
				serviceCenterId: at.id,
				name: 'Non assegnato da 30 minuti: avvisa i supervisori',
				trigger: 'unassigned',
				afterMinutes: 30,
				action: 'notify',
				recipients: ['supervisors']
			}
		]);
		await tx.insert(notificationRules).values([
			{
				serviceCenterId: at.id,
				name: 'Ticket ad alta priorità chiuso: avvisa il commerciale',
				event: 'ticket_closed',
				conditions: { priorities: ['urgent', 'high'] },
				recipients: ['account_manager']
			},
			{
				serviceCenterId: at.id,
				name: 'Ticket per un cliente bloccato: avvisa il responsabile',
				event: 'ticket_opened',
				conditions: { customerBlocked: true },
				recipients: ['service_center_head']
			},
			{
				serviceCenterId: at.id,
				name: 'Ticket assegnato: avvisa il nuovo titolare',
				event: 'ticket_assigned',
				conditions: {},
				recipients: ['owner']
			},
			{
				serviceCenterId: at.id,
				name: 'SLA violato: avvisa titolare e responsabile',
				event: 'sla_breached',
				conditions: {},
				recipients: ['owner', 'service_center_head']
			}
		]);

		// Open tickets over the last working days, with machines of demo customers.
		const pool = await tx
			.select({ customerId: customers.id, machineId: machines.id })
			.from(machines)
			.innerJoin(customers, eq(customers.id, machines.customerId))
			.where(and(eq(machines.status, 'in_service'), isNotNull(machines.customerId)))
			.orderBy(asc(machines.serialNumber))
			.limit(60);
		if (pool.length === 0) return;
		const cal = new BusinessCalendar(demoBusinessCalendar);
		const year = localYear(now, cal.timeZone);
		const agentsOf = (group: string) => members.filter((m) => m.groupId === group).map((m) => m.userId);
		// Named as the live actions name them: the person, not the login.
		const actorName = new Map(people.map((p) => [p.id, p.displayName]));
		const count = 40;
		for (let i = 0; i < count; i++) {
			const [title, priority, categoryCode] = demoTitles[i % demoTitles.length];
			const { customerId, machineId } = pool[i % pool.length];
			// Older tickets are rarer: most were opened in the last two days.
			const openedAt = new Date(now.getTime() - Math.floor(random.next() ** 2 * 6 * 86_400_000));
			const group = priority === 'urgent' || random.chance(0.3) ? secondLevel : firstLevel;
			const roll = random.next();
			const status: TicketStatus =
				roll < 0.3
					? 'new'
					: roll < 0.5
						? 'assigned'
						: roll < 0.8
							? 'in_progress'
							: roll < 0.92
								? 'waiting_customer'
								: 'waiting_parts';
			const ownerId = status === 'new' ? null : random.pick(agentsOf(group));
			const target = targetFor(demoSlaTargets, priority, null)!;
			const respondedAt =
				status === 'in_progress' || status === 'waiting_customer'
					? new Date(Math.min(now.getTime(), openedAt.getTime() + 20 * 60_000))
					: null;
			const pausedFrom = new Date(Math.min(now.getTime(), openedAt.getTime() + 60 * 60_000));
			const slaPauses = clockStopped(['waiting_customer'], status)
				? [{ from: pausedFrom.toISOString(), to: null }]
				: [];
			const sla = computeTicketSla(
				{ calendar: cal, warningShare: 0.75, pauseStatuses: ['waiting_customer'] },
				{
					...openedSlaState({
						status,
						openedAt,
						firstResponseMinutes: target.firstResponseMinutes,
						resolutionMinutes: target.resolutionMinutes
					}),
					slaPauses,
					slaFirstRespondedAt: respondedAt
				}
			);
			if (respondedAt) {
				// The first response deadline as it stood when the response was given.
				const fr = computeTicketSla(
					{ calendar: cal, warningShare: 0.75, pauseStatuses: [] },
					openedSlaState({
						status: 'new',
						openedAt,
						firstResponseMinutes: target.firstResponseMinutes,
						resolutionMinutes: null
					})
				);
				sla.slaFirstResponseDueAt = fr.slaFirstResponseDueAt;
				sla.slaFirstResponseWarningAt = fr.slaFirstResponseWarningAt;
			}
			const number = `${at.code}-${year}-${String(i + 1).padStart(6, '0')}`;
			const [ticket] = await tx
				.insert(tickets)
				.values({
					number,
					serviceCenterId: at.id,
					customerId,
					machineId,
					origin: random.pick<TicketOrigin>(['phone', 'phone', 'email', 'portal']),
					title,
					description: 'Segnalazione ricevuta dal cliente; dettagli nella cronologia.',
					priority,
					categoryId: categoryIds.get(categoryCode) ?? null,
					status,
					ownerId,
					groupId: group,
					createdById: userId('agent1'),
					openedAt,
					statusChangedAt: slaPauses.length ? pausedFrom : (respondedAt ?? openedAt),
					queuedAt: ownerId ? null : openedAt,
					slaPolicyId: null,
					slaFirstResponseMinutes: target.firstResponseMinutes,
					slaResolutionMinutes: target.resolutionMinutes,
					slaPauses,
					slaFirstRespondedAt: respondedAt,
					...sla,
					createdAt: openedAt,
					updatedAt: respondedAt ?? openedAt
				})
				.returning({ id: tickets.id, version: tickets.version });
			await tx.insert(ticketHistory).values({
				ticketId: ticket.id,
				at: openedAt,
				kind: 'created',
				actorId: userId('agent1'),
				actorName: actorName.get(userId('agent1')) ?? 'agent1',
				changes: { status: { from: null, to: status } },
				version: ticket.version
			});
			created++;
		}
		await tx.insert(ticketCounters).values({ serviceCenterId: at.id, year, lastValue: count });
		const [policy] = await tx
			.select({ id: slaPolicies.id })
			.from(slaPolicies)
			.where(eq(slaPolicies.serviceCenterId, at.id));
		await tx.update(tickets).set({ slaPolicyId: policy.id }).where(eq(tickets.serviceCenterId, at.id));
	});
	options.log?.(`support desk created: ${created} open tickets in AT`);
	return { tickets: created };
}
