import { randomUUID } from 'node:crypto';
import type {
	machineModels,
	phoneNumbers,
	Role,
	serviceCenters,
	serviceGroupMembers,
	serviceGroups,
	teams,
	technicians,
	users,
	WeekHours
} from '../schema';
import { demoModels, skills, type DemoModel, type Skill } from './catalog';
import { cityNamed, femaleFirstNames, maleFirstNames, surnames } from './italy';
import type { PhoneFactory } from './phones';
import { round6, type Random } from './random';

export const demoPassword = 'demo';

interface StaffMember {
	username: string;
	firstName: string;
	lastName: string;
	roles: Role[];
	sipExtension?: string;
}

/** The people of the demo company, in a fixed order: one password hash each, in this order. */
export function staffMembers(random: Random): StaffMember[] {
	const members: StaffMember[] = [
		{ username: 'admin', firstName: 'Giulia', lastName: 'Ferrari', roles: ['admin'] },
		{ username: 'supervisor1', firstName: 'Marco', lastName: 'Colombo', roles: ['supervisor'] },
		{ username: 'dispatcher1', firstName: 'Chiara', lastName: 'Galli', roles: ['dispatcher'] }
	];
	const agents: Array<[string, string]> = [
		['Sara', 'Moretti'],
		['Luca', 'Bianchi'],
		['Francesca', 'Ricci'],
		['Davide', 'Conti'],
		['Elena', 'Marino']
	];
	agents.forEach(([firstName, lastName], i) =>
		members.push({
			username: `agent${i + 1}`,
			firstName,
			lastName,
			roles: ['agent'],
			sipExtension: String(1001 + i)
		})
	);
	for (let i = 1; i <= technicianHomes.length; i++) {
		const firstName = random.chance(0.85) ? random.pick(maleFirstNames) : random.pick(femaleFirstNames);
		members.push({ username: `tech${i}`, firstName, lastName: random.pick(surnames), roles: ['technician'] });
	}
	return members;
}

// Home bases: tech1-13 in the north, tech14-25 in the centre (Emilia-Romagna down to Lazio).
const technicianHomes = [
	'Milano',
	'Milano',
	'Torino',
	'Bergamo',
	'Brescia',
	'Verona',
	'Padova',
	'Treviso',
	'Udine',
	'Trento',
	'Genova',
	'Novara',
	'Vicenza',
	'Bologna',
	'Modena',
	'Parma',
	'Firenze',
	'Pisa',
	'Arezzo',
	'Ancona',
	'Perugia',
	'Roma',
	'Roma',
	'Latina',
	'Rimini'
];
const northernTechnicians = 13;

// Skill profiles cycled over the technicians so that every model's required skills are covered in both areas.
const skillProfiles: Skill[][] = [
	['refrigeration', 'electrical'],
	['cnc', 'plc', 'electronics'],
	['gas-boilers', 'hydraulics', 'welding'],
	['electrical', 'hydraulics', 'plc'],
	['hydraulics', 'electronics', 'refrigeration']
];

const officeHours = [
	{ start: '08:00', end: '12:00' },
	{ start: '13:00', end: '17:00' }
];
const weekdays = ['1', '2', '3', '4', '5'] as const;

export interface StaffRows {
	teams: Array<typeof teams.$inferInsert>;
	users: Array<typeof users.$inferInsert>;
	technicians: Array<typeof technicians.$inferInsert>;
	phoneNumbers: Array<typeof phoneNumbers.$inferInsert>;
	serviceCenters: Array<typeof serviceCenters.$inferInsert>;
	serviceGroups: Array<typeof serviceGroups.$inferInsert>;
	serviceGroupMembers: Array<typeof serviceGroupMembers.$inferInsert>;
	machineModels: Array<typeof machineModels.$inferInsert>;
}

export interface Staff {
	rows: StaffRows;
	/** Root team and its manager: the manager is set once both rows exist. */
	rootTeam: { id: string; managerId: string };
	/** Account managers of the demo customers. */
	accountManagerIds: string[];
	models: Array<DemoModel & { id: string }>;
}

export function buildStaff(
	members: StaffMember[],
	passwordHashes: string[],
	random: Random,
	phones: PhoneFactory
): Staff {
	const userId = new Map(members.map((m) => [m.username, randomUUID()]));
	const id = (username: string) => userId.get(username)!;

	const team = (name: string, parentId: string | null) => ({ id: randomUUID(), name, parentId });
	const centrale = team('Centrale operativa', null);
	const helpDesk = team('Help desk', centrale.id);
	const telemarketing = team('Telemarketing', centrale.id);
	const dispatch = team('Dispatch', centrale.id);
	const techNorth = team('Tecnici Nord', centrale.id);
	const techCentre = team('Tecnici Centro', centrale.id);

	const teamOf = (username: string): string | null => {
		if (username === 'supervisor1') return centrale.id;
		if (username === 'dispatcher1') return dispatch.id;
		const agent = /^agent(\d+)$/.exec(username);
		if (agent) return Number(agent[1]) <= 3 ? helpDesk.id : telemarketing.id;
		const tech = /^tech(\d+)$/.exec(username);
		if (tech) return Number(tech[1]) <= northernTechnicians ? techNorth.id : techCentre.id;
		return null;
	};

	const userRows = members.map((m, i) => ({
		id: id(m.username),
		username: m.username,
		displayName: `${m.firstName} ${m.lastName}`,
		email: `${m.username}@fieldline.example`,
		passwordHash: passwordHashes[i],
		roles: m.roles,
		teamId: teamOf(m.username),
		locale: 'it' as const,
		sipExtension: m.sipExtension ?? null,
		sipAuthUser: m.sipExtension ?? null,
		sipPassword: m.sipExtension ? `demo-sip-${m.sipExtension}` : null
	}));

	const technicianRows: StaffRows['technicians'] = [];
	const phoneRows: StaffRows['phoneNumbers'] = [];
	members
		.filter((m) => m.roles.includes('technician'))
		.forEach((m, i) => {
			const city = cityNamed(technicianHomes[i]);
			const extra = random.pick(skills);
			const profile = skillProfiles[i % skillProfiles.length];
			const technicianId = randomUUID();
			technicianRows.push({
				id: technicianId,
				userId: id(m.username),
				skills: profile.includes(extra) ? profile : [...profile, extra],
				homeBaseCity: city.name,
				homeBaseLatitude: round6(city.latitude + random.jitter(0.01)),
				homeBaseLongitude: round6(city.longitude + random.jitter(0.01)),
				workingHours: Object.fromEntries(weekdays.map((d) => [d, officeHours])) as WeekHours
			});
			phoneRows.push({ ...phones.mobile(), technicianId });
		});

	const center = (code: string, name: string, access: 'open' | 'reserved', head: string) => ({
		id: randomUUID(),
		code,
		name,
		access,
		headUserId: id(head)
	});
	const assistenza = center('AT', 'Assistenza tecnica', 'open', 'supervisor1');
	const amministrazione = center('AM', 'Amministrazione', 'reserved', 'admin');
	const commerciale = center('CO', 'Commerciale', 'open', 'supervisor1');
	const groups: StaffRows['serviceGroups'] = [];
	const groupMembers: StaffRows['serviceGroupMembers'] = [];
	const group = (serviceCenterId: string, name: string, usernames: string[]) => {
		const groupId = randomUUID();
		groups.push({ id: groupId, serviceCenterId, name });
		for (const username of usernames) groupMembers.push({ groupId, userId: id(username) });
	};
	group(assistenza.id, 'Primo livello', ['agent1', 'agent2', 'agent3']);
	group(assistenza.id, 'Secondo livello', ['agent4', 'agent5', 'supervisor1']);
	group(amministrazione.id, 'Contabilità clienti', ['admin', 'supervisor1']);
	group(commerciale.id, 'Vendite', ['agent4', 'agent5']);
	group(commerciale.id, 'Ufficio preventivi', ['agent3', 'supervisor1']);

	const models = demoModels.map((model) => ({ ...model, id: randomUUID() }));

	return {
		rows: {
			teams: [centrale, helpDesk, telemarketing, dispatch, techNorth, techCentre],
			users: userRows,
			technicians: technicianRows,
			phoneNumbers: phoneRows,
			serviceCenters: [assistenza, amministrazione, commerciale],
			serviceGroups: groups,
			serviceGroupMembers: groupMembers,
			machineModels: models.map((m) => ({
				id: m.id,
				manufacturer: m.manufacturer,
				code: m.code,
				name: m.name,
				category: m.category,
				requiredSkills: m.requiredSkills
			}))
		},
		rootTeam: { id: centrale.id, managerId: id('supervisor1') },
		accountManagerIds: [id('supervisor1'), id('admin')],
		models
	};
}
