import { randomUUID } from 'node:crypto';
import type {
	contacts,
	contractLines,
	contracts,
	customerAddresses,
	customers,
	machineOwnerships,
	machines,
	phoneNumbers
} from '../schema';
import type { DemoModel, MachineCategory } from './catalog';
import { addDays, addMonths, daysBetween } from './dates';
import {
	cities,
	cityWeights,
	femaleFirstNames,
	maleFirstNames,
	slug,
	streets,
	surnames,
	vatOfficeCodes,
	withVatCheckDigit,
	type City
} from './italy';
import type { PhoneFactory } from './phones';
import { round6, type Random } from './random';

/** One scale unit of the demo: the customers and everything they own. */
export const customersPerUnit = 300;
/** Contacts per unit are exact (each group of four customers has 1, 2, 3 and 4 contacts). */
export const contactsPerUnit = (customersPerUnit / 4) * (1 + 2 + 3 + 4);

export interface CustomerRows {
	customers: Array<typeof customers.$inferInsert>;
	customerAddresses: Array<typeof customerAddresses.$inferInsert>;
	contacts: Array<typeof contacts.$inferInsert>;
	phoneNumbers: Array<typeof phoneNumbers.$inferInsert>;
	machines: Array<typeof machines.$inferInsert>;
	machineOwnerships: Array<typeof machineOwnerships.$inferInsert>;
	contracts: Array<typeof contracts.$inferInsert>;
	contractLines: Array<typeof contractLines.$inferInsert>;
}

export function emptyCustomerRows(): CustomerRows {
	return {
		customers: [],
		customerAddresses: [],
		contacts: [],
		phoneNumbers: [],
		machines: [],
		machineOwnerships: [],
		contracts: [],
		contractLines: []
	};
}

type Names = { surname: string; surname2: string; firstName: string; city: City };

interface Industry {
	weight: number;
	names: Array<(n: Names) => string>;
	legalForms: string[];
	categories: MachineCategory[];
	machines: [min: number, max: number];
	/** Installers and resellers: some become dealers with indirect customers. */
	dealerShare: number;
	contactRoles: string[];
}

const companyForms = ['S.r.l.', 'S.r.l.', 'S.r.l.', 'S.p.A.', 'S.n.c.', 'S.a.s.', 'S.r.l.s.'];
const smallBusinessForms = ['S.n.c.', 'S.a.s.', 'S.r.l.', 'S.r.l.s.', ''];
const technicalRoles = [
	'Responsabile manutenzione',
	'Responsabile di produzione',
	'Capo reparto',
	'Direttore tecnico'
];
const officeRoles = ['Ufficio acquisti', 'Amministrazione', 'Segreteria', 'Responsabile qualità'];

const industries: Industry[] = [
	{
		weight: 24,
		names: [
			(n) => `Officine Meccaniche ${n.surname}`,
			(n) => `Torneria ${n.surname}`,
			(n) => `Carpenteria Metallica ${n.surname}`,
			(n) => `Meccanica ${n.surname}`,
			(n) => `${n.surname} Lavorazioni Meccaniche`,
			(n) => `Minuterie Metalliche ${n.surname}`,
			(n) => `Stampi ${n.surname}`,
			(n) => `${n.surname} & ${n.surname2}`
		],
		legalForms: companyForms,
		categories: ['cnc', 'cnc', 'compressor'],
		machines: [1, 5],
		dealerShare: 0,
		contactRoles: [...technicalRoles, ...officeRoles]
	},
	{
		weight: 20,
		names: [
			(n) => `Salumificio ${n.surname}`,
			(n) => `Caseificio ${n.surname}`,
			(n) => `Pastificio ${n.surname}`,
			(n) => `Panificio ${n.surname}`,
			(n) => `Forno ${n.surname}`,
			(n) => `Conserve ${n.surname}`,
			(n) => `Dolciaria ${n.surname}`,
			(n) => `Prosciuttificio ${n.surname}`
		],
		legalForms: companyForms,
		categories: ['packaging', 'packaging', 'refrigeration', 'boiler'],
		machines: [1, 4],
		dealerShare: 0,
		contactRoles: [...technicalRoles, ...officeRoles]
	},
	{
		weight: 22,
		names: [
			(n) => `Bar ${n.firstName}`,
			(n) => `Ristorante Da ${n.firstName}`,
			(n) => `Trattoria ${n.surname}`,
			(n) => `Hotel ${n.surname}`,
			(n) => `Albergo ${n.city.name}`,
			(n) => `Pasticceria ${n.surname}`,
			(n) => `Gelateria ${n.surname}`,
			(n) => `Caffè ${n.surname}`
		],
		legalForms: smallBusinessForms,
		categories: ['espresso', 'espresso', 'refrigeration'],
		machines: [1, 3],
		dealerShare: 0,
		contactRoles: ['Titolare', 'Gestore', 'Responsabile di sala', 'Amministrazione']
	},
	{
		weight: 12,
		names: [
			(n) => `Supermercato ${n.surname}`,
			(n) => `Macelleria ${n.surname}`,
			(n) => `Alimentari ${n.surname}`,
			(n) => `Market ${n.surname}`,
			(n) => `Pescheria ${n.surname}`
		],
		legalForms: smallBusinessForms,
		categories: ['refrigeration', 'refrigeration', 'packaging'],
		machines: [1, 4],
		dealerShare: 0,
		contactRoles: ['Titolare', 'Responsabile punto vendita', 'Ufficio acquisti', 'Amministrazione']
	},
	{
		weight: 10,
		names: [
			(n) => `${n.surname} Refrigerazione`,
			(n) => `${n.surname} Impianti`,
			(n) => `Termoidraulica ${n.surname}`,
			(n) => `${n.surname} Climatizzazione`,
			(n) => `${n.surname} Forniture Alberghiere`
		],
		legalForms: companyForms,
		categories: ['refrigeration', 'boiler', 'compressor', 'espresso'],
		machines: [0, 3],
		dealerShare: 0.3,
		contactRoles: ['Titolare', 'Direttore tecnico', 'Ufficio commerciale', 'Amministrazione']
	},
	{
		weight: 12,
		names: [
			(n) => `${n.surname} Packaging`,
			(n) => `${n.surname} Imballaggi`,
			(n) => `Logistica ${n.surname}`,
			(n) => `Lavanderia Industriale ${n.surname}`,
			(n) => `Industrie ${n.surname}`,
			(n) => `${n.surname} Elettromeccanica`,
			(n) => `${n.surname} Componenti`
		],
		legalForms: companyForms,
		categories: ['packaging', 'compressor', 'boiler'],
		machines: [1, 4],
		dealerShare: 0,
		contactRoles: [...technicalRoles, ...officeRoles]
	}
];
const industryWeights = industries.map((i) => i.weight);
/** Draws of a plain trade name before the owner's name is added to tell it apart. */
const plainNameAttempts = 4;
/** Millions of owner-qualified names exist: running out means a bug, not bad luck. */
const maxNameAttempts = 1000;

const paymentTerms = [
	'30 gg DF',
	'60 gg DF',
	'60 gg FM',
	'90 gg FM',
	'RiBa 30 gg',
	'RiBa 60 gg',
	'RiBa 90 gg',
	'RiBa 30-60 gg FM',
	'Bonifico anticipato',
	'Rimessa diretta'
];

interface CustomerDraft {
	id: string;
	/** E-mail domain of the company (a reserved .example domain: the demo never mails real firms). */
	domain: string;
	city: City;
	street: string;
	latitude: number;
	longitude: number;
	industry: Industry;
	isDealer: boolean;
	billingCustomerId: string | null;
}

interface MachineDraft {
	id: string;
	customerId: string;
	status: 'in_service' | 'withdrawn' | 'refurbished' | 'resold';
}

/**
 * Generates the customers of the demo unit by unit. Every value comes from the shared seeded
 * PRNG in a fixed order, so the first units of a large scale are the demo at scale 1; only the
 * ids (random UUIDs) and the dates (relative to `today`) differ between runs.
 */
export class CustomerGenerator {
	private customerSeq = 0;
	private contractSeq = 0;
	private readonly serialSeq = new Map<string, number>();
	private readonly usedVat = new Set<number>();
	private readonly usedTradeNames = new Set<string>();
	private readonly modelsByCategory: Map<MachineCategory, Array<DemoModel & { id: string }>>;

	constructor(
		private readonly random: Random,
		private readonly phones: PhoneFactory,
		private readonly today: string,
		private readonly accountManagerIds: string[],
		models: Array<DemoModel & { id: string }>
	) {
		this.modelsByCategory = new Map();
		for (const model of models) {
			const list = this.modelsByCategory.get(model.category) ?? [];
			list.push(model);
			this.modelsByCategory.set(model.category, list);
		}
	}

	/**
	 * A trade name no earlier customer has (ignoring case, accents and punctuation, so the e-mail
	 * domains differ too): a fresh draw of names on a clash, and after a few clashes the owner's
	 * name, as Italian firms do ("Albergo Bologna di Marco Rossi"). Never a number.
	 */
	private tradeName(industry: Industry, city: City): string {
		const r = this.random;
		for (let attempt = 0; attempt < maxNameAttempts; attempt++) {
			const names: Names = {
				surname: r.pick(surnames),
				surname2: r.pick(surnames),
				firstName: r.pick(r.chance(0.6) ? maleFirstNames : femaleFirstNames),
				city
			};
			const base = r.pick(industry.names)(names);
			const name = attempt < plainNameAttempts ? base : `${base} di ${names.firstName} ${names.surname}`;
			const key = slug(name);
			if (!this.usedTradeNames.has(key)) {
				this.usedTradeNames.add(key);
				return name;
			}
		}
		throw new Error(
			`no unique company name in ${maxNameAttempts} attempts after ${this.customerSeq} customers`
		);
	}

	/** Appends one unit (customersPerUnit customers with their contacts, phones, machines and contracts) to `out`. */
	generateUnit(out: CustomerRows): void {
		const drafts: CustomerDraft[] = [];
		const dealers: string[] = [];
		let contactCounts: number[] = [];
		for (let i = 0; i < customersPerUnit; i++) {
			if (contactCounts.length === 0) contactCounts = this.random.shuffle([1, 2, 3, 4]);
			const draft = this.customer(out, drafts, dealers);
			this.contacts(out, draft, contactCounts.pop()!);
			drafts.push(draft);
			if (draft.isDealer) dealers.push(draft.id);
		}
		const machinesByCustomer = this.machines(out, drafts);
		this.contracts(out, drafts, machinesByCustomer);
	}

	private customer(out: CustomerRows, unit: CustomerDraft[], dealers: string[]): CustomerDraft {
		const r = this.random;
		const city = r.weighted(cities, cityWeights);
		const industry = r.weighted(industries, industryWeights);
		const tradeName = this.tradeName(industry, city);
		const legalForm = r.pick(industry.legalForms);
		const companyName = legalForm ? `${tradeName} ${legalForm}` : tradeName;
		const isDealer = r.chance(industry.dealerShare);
		const vat = this.vatNumber(city);
		const id = randomUUID();
		const code = `C${String(++this.customerSeq).padStart(6, '0')}`;

		// An indirect customer is served through one of the unit's dealers; a few subsidiaries are invoiced to another customer.
		const dealerId = !isDealer && dealers.length > 0 && r.chance(0.12) ? r.pick(dealers) : null;
		const billingCustomerId = !isDealer && unit.length > 0 && r.chance(0.05) ? r.pick(unit).id : null;
		const blocked = r.chance(0.03);
		const domain = `${slug(tradeName, '-')}.example`;

		out.customers.push({
			id,
			code,
			companyName,
			vatNumber: vat,
			// For a company the tax code (codice fiscale) is its VAT number.
			taxCode: vat,
			billingCustomerId,
			dealerId,
			isDealer,
			paymentTerms: r.pick(paymentTerms),
			accountManagerId: r.pick(this.accountManagerIds),
			blocked,
			email: r.chance(0.85) ? `info@${domain}` : null,
			notes: blocked
				? 'Insoluti: avvisare l’amministrazione prima di pianificare interventi a pagamento.'
				: isDealer
					? 'Rivenditore autorizzato: apre le chiamate per conto dei suoi clienti.'
					: null
		});

		const street = `${r.pick(streets)}, ${r.int(1, 180)}${r.chance(0.1) ? '/' + r.pick(['A', 'B', 'C']) : ''}`;
		const latitude = round6(city.latitude + r.jitter(0.02));
		const longitude = round6(city.longitude + r.jitter(0.02));
		out.customerAddresses.push({
			id: randomUUID(),
			customerId: id,
			kind: 'registered',
			street,
			postalCode: String(Number(city.postalCode) + r.int(0, city.postalCodes - 1)).padStart(5, '0'),
			city: city.name,
			province: city.province,
			region: city.region,
			country: 'IT',
			latitude,
			longitude
		});

		const landlines = r.chance(0.5) ? 2 : 1;
		for (let i = 0; i < landlines; i++)
			out.phoneNumbers.push({ ...this.phones.landline(city.areaCode), customerId: id });

		return { id, domain, city, street, latitude, longitude, industry, isDealer, billingCustomerId };
	}

	private contacts(out: CustomerRows, customer: CustomerDraft, count: number): void {
		const r = this.random;
		const roles = r.sample(customer.industry.contactRoles, count);
		for (let i = 0; i < count; i++) {
			const female = r.chance(0.45);
			const firstName = r.pick(female ? femaleFirstNames : maleFirstNames);
			const lastName = r.pick(surnames);
			const contactId = randomUUID();
			out.contacts.push({
				id: contactId,
				customerId: customer.id,
				firstName,
				lastName,
				role: roles[i] ?? r.pick(customer.industry.contactRoles),
				email: r.chance(0.8) ? `${slug(firstName)}.${slug(lastName)}@${customer.domain}` : null,
				isPrimary: i === 0
			});
			// 0, 1 or 2 numbers: a mobile and/or a direct line in the customer's district.
			const shape = r.weighted(['none', 'mobile', 'direct', 'both'], [25, 35, 15, 25]);
			if (shape === 'mobile' || shape === 'both')
				out.phoneNumbers.push({ ...this.phones.mobile(), contactId });
			if (shape === 'direct' || shape === 'both')
				out.phoneNumbers.push({ ...this.phones.landline(customer.city.areaCode), contactId });
		}
	}

	private machines(out: CustomerRows, unit: CustomerDraft[]): Map<string, MachineDraft[]> {
		const r = this.random;
		const byCustomer = new Map<string, MachineDraft[]>();
		const oldestInstall = 8 * 365;
		for (const customer of unit) {
			const count = r.int(...customer.industry.machines);
			for (let i = 0; i < count; i++) {
				const model = r.pick(this.modelsByCategory.get(r.pick(customer.industry.categories))!);
				const installedOn = addDays(this.today, -r.int(20, oldestInstall));
				const age = daysBetween(installedOn, this.today);
				const serial = (this.serialSeq.get(model.id) ?? 0) + r.int(1, 9);
				this.serialSeq.set(model.id, serial);

				let status = r.weighted(['in_service', 'withdrawn', 'refurbished', 'resold'] as const, [
					82,
					7,
					5,
					age > 400 ? 6 : 0
				]);
				let owner = customer;
				const id = randomUUID();
				if (status === 'resold') {
					const buyer = r.pick(unit);
					if (buyer === customer) status = 'in_service';
					else {
						const resoldOn = addDays(installedOn, r.int(365, age - 1));
						out.machineOwnerships.push(
							{
								id: randomUUID(),
								machineId: id,
								customerId: customer.id,
								from: installedOn,
								to: resoldOn,
								status: 'in_service',
								note: 'Venduta a un altro cliente'
							},
							{
								id: randomUUID(),
								machineId: id,
								customerId: buyer.id,
								from: resoldOn,
								to: null,
								status: 'resold',
								note: 'Acquistata usata'
							}
						);
						owner = buyer;
					}
				}
				if (status !== 'resold') {
					out.machineOwnerships.push({
						id: randomUUID(),
						machineId: id,
						customerId: customer.id,
						from: installedOn,
						to: null,
						status,
						note:
							status === 'withdrawn'
								? 'Dismessa'
								: status === 'refurbished'
									? 'Ricondizionata in officina'
									: null
					});
				}

				out.machines.push({
					id,
					modelId: model.id,
					serialNumber: `${model.serialPrefix}-${installedOn.slice(0, 4)}-${String(serial).padStart(6, '0')}`,
					attributes: model.attributes(r),
					customerId: owner.id,
					siteStreet: owner.street,
					siteCity: owner.city.name,
					siteProvince: owner.city.province,
					latitude: round6(owner.latitude + r.jitter(0.002)),
					longitude: round6(owner.longitude + r.jitter(0.002)),
					installedOn,
					partsWarrantyUntil: addMonths(installedOn, 24),
					labourWarrantyUntil: addMonths(installedOn, 12),
					status
				});
				const owned = byCustomer.get(owner.id) ?? [];
				owned.push({ id, customerId: owner.id, status });
				byCustomer.set(owner.id, owned);
			}
		}
		return byCustomer;
	}

	private contracts(
		out: CustomerRows,
		unit: CustomerDraft[],
		machinesByCustomer: Map<string, MachineDraft[]>
	): void {
		const r = this.random;
		for (const customer of unit) {
			const serviceable = (machinesByCustomer.get(customer.id) ?? []).filter(
				(m) => m.status === 'in_service' || m.status === 'refurbished'
			);
			if (serviceable.length === 0 || !r.chance(0.7)) continue;

			const status = r.weighted(['active', 'expired', 'draft'] as const, [74, 16, 10]);
			const months = r.weighted([12, 24, 36], [60, 25, 15]);
			let startsOn: string;
			if (status === 'active') startsOn = addDays(this.today, -r.int(0, months * 30 - 31));
			else if (status === 'expired') startsOn = addDays(addMonths(this.today, -months), -r.int(1, 400));
			else startsOn = addDays(this.today, r.int(7, 60));
			const endsOn = addDays(addMonths(startsOn, months), -1);
			const serviceLevel = r.weighted(['basic', 'standard', 'premium'] as const, [30, 50, 20]);
			const contractId = randomUUID();
			out.contracts.push({
				id: contractId,
				code: `MC-${startsOn.slice(0, 4)}-${String(++this.contractSeq).padStart(4, '0')}`,
				customerId: customer.id,
				billingCustomerId: customer.billingCustomerId ?? customer.id,
				startsOn,
				endsOn,
				serviceLevel,
				status,
				autoRenewal: r.chance(0.5)
			});
			const visitChoices =
				serviceLevel === 'premium' ? [3, 3, 6] : serviceLevel === 'standard' ? [6, 6, 12, 3] : [12, 12, 6];
			for (const machine of r.sample(serviceable, r.int(1, 4))) {
				out.contractLines.push({
					id: randomUUID(),
					contractId,
					machineId: machine.id,
					visitEveryMonths: r.pick(visitChoices),
					notes: r.chance(0.2) ? 'Verifica generale, pulizia e prova di funzionamento' : null
				});
			}
		}
	}

	private vatNumber(city: City): string {
		const office = vatOfficeCodes[city.province] ?? '058';
		for (;;) {
			const company = this.random.digits(7);
			const key = Number(company + office);
			if (this.usedVat.has(key)) continue;
			this.usedVat.add(key);
			return withVatCheckDigit(company + office);
		}
	}
}
