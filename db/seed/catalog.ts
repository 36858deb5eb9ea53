import type { Random } from './random';

/** The skills technicians have and machine models require. */
export const skills = [
	'refrigeration',
	'electrical',
	'hydraulics',
	'cnc',
	'plc',
	'gas-boilers',
	'electronics',
	'welding'
] as const;
export type Skill = (typeof skills)[number];

export type MachineCategory = 'refrigeration' | 'cnc' | 'boiler' | 'compressor' | 'packaging' | 'espresso';

export interface DemoModel {
	manufacturer: string;
	code: string;
	name: string;
	category: MachineCategory;
	requiredSkills: Skill[];
	/** First part of the serial numbers (matricole) of this model, e.g. FRG-2023-004512. */
	serialPrefix: string;
	attributes(random: Random): Record<string, string | number>;
}

const frigotecnica = 'Frigotecnica Padana';
const polaris = 'Polaris Freddo Industriale';
const torneria = 'Torneria Lombarda Macchine';
const bergamasche = 'Officine Bergamasche Utensili';
const caldaie = 'Caldaie Appennino';
const ariaCompressa = 'Aria Compressa Emiliana';
const veneta = 'Veneta Packaging Systems';
const espressa = 'Espressa Italia';

/** Fictional Italian manufacturers and the models the demo customers own. */
export const demoModels: readonly DemoModel[] = [
	{
		manufacturer: frigotecnica,
		code: 'BF-200',
		name: 'Banco frigo BF-200',
		category: 'refrigeration',
		requiredSkills: ['refrigeration', 'electrical'],
		serialPrefix: 'FRG',
		attributes: (r) => ({ voltage: 230, frequency: 50, gasType: 'R290', powerKw: r.pick([0.6, 0.8, 1.1]) })
	},
	{
		manufacturer: frigotecnica,
		code: 'CF-40',
		name: 'Cella frigorifera CF-40',
		category: 'refrigeration',
		requiredSkills: ['refrigeration', 'electrical'],
		serialPrefix: 'FCF',
		attributes: (r) => ({ voltage: 400, frequency: 50, gasType: r.pick(['R404A', 'R452A']), powerKw: 4.5 })
	},
	{
		manufacturer: polaris,
		code: 'AB-10',
		name: 'Abbattitore di temperatura AB-10',
		category: 'refrigeration',
		requiredSkills: ['refrigeration'],
		serialPrefix: 'PAB',
		attributes: (r) => ({ voltage: r.pick([230, 400]), frequency: 50, gasType: 'R404A', powerKw: 2.2 })
	},
	{
		manufacturer: polaris,
		code: 'RW-25',
		name: "Refrigeratore d'acqua RW-25",
		category: 'refrigeration',
		requiredSkills: ['refrigeration', 'hydraulics'],
		serialPrefix: 'PRW',
		attributes: () => ({ voltage: 400, frequency: 50, gasType: 'R134a', powerKw: 25 })
	},
	{
		manufacturer: torneria,
		code: 'TL-400',
		name: 'Tornio CNC TL-400',
		category: 'cnc',
		requiredSkills: ['cnc', 'plc'],
		serialPrefix: 'TLM',
		attributes: () => ({ voltage: 400, frequency: 50, powerKw: 15, maxRpm: 4000, controller: 'Fanuc 0i-TF' })
	},
	{
		manufacturer: torneria,
		code: 'TL-650B',
		name: 'Tornio CNC bimandrino TL-650B',
		category: 'cnc',
		requiredSkills: ['cnc', 'plc', 'electronics'],
		serialPrefix: 'TLB',
		attributes: (r) => ({
			voltage: 400,
			frequency: 50,
			powerKw: 22,
			maxRpm: 3500,
			controller: r.pick(['Siemens 828D', 'Fanuc 31i-B'])
		})
	},
	{
		manufacturer: bergamasche,
		code: 'CL-850',
		name: 'Centro di lavoro verticale CL-850',
		category: 'cnc',
		requiredSkills: ['cnc', 'electronics'],
		serialPrefix: 'OBU',
		attributes: () => ({
			voltage: 400,
			frequency: 50,
			powerKw: 18.5,
			maxRpm: 12000,
			controller: 'Heidenhain TNC 640'
		})
	},
	{
		manufacturer: caldaie,
		code: 'KX-300',
		name: 'Caldaia a condensazione KX-300',
		category: 'boiler',
		requiredSkills: ['gas-boilers', 'hydraulics'],
		serialPrefix: 'CAK',
		attributes: (r) => ({ voltage: 230, frequency: 50, powerKw: r.pick([150, 220, 300]), fuel: 'metano' })
	},
	{
		manufacturer: caldaie,
		code: 'GV-1000',
		name: 'Generatore di vapore GV-1000',
		category: 'boiler',
		requiredSkills: ['gas-boilers', 'hydraulics', 'welding'],
		serialPrefix: 'CGV',
		attributes: (r) => ({
			voltage: 400,
			frequency: 50,
			powerKw: 650,
			fuel: r.pick(['metano', 'gasolio']),
			pressureBar: 12
		})
	},
	{
		manufacturer: ariaCompressa,
		code: 'VS-30',
		name: 'Compressore a vite VS-30',
		category: 'compressor',
		requiredSkills: ['electrical', 'hydraulics'],
		serialPrefix: 'ACV',
		attributes: (r) => ({ voltage: 400, frequency: 50, powerKw: 30, pressureBar: r.pick([8, 10, 13]) })
	},
	{
		manufacturer: ariaCompressa,
		code: 'PS-11',
		name: 'Compressore a pistoni PS-11',
		category: 'compressor',
		requiredSkills: ['electrical'],
		serialPrefix: 'ACP',
		attributes: (r) => ({ voltage: r.pick([230, 400]), frequency: 50, powerKw: 11, pressureBar: 10 })
	},
	{
		manufacturer: veneta,
		code: 'FP-500',
		name: 'Confezionatrice flow-pack FP-500',
		category: 'packaging',
		requiredSkills: ['plc', 'electrical'],
		serialPrefix: 'VPF',
		attributes: () => ({ voltage: 400, frequency: 50, powerKw: 7.5, packsPerMinute: 120 })
	},
	{
		manufacturer: veneta,
		code: 'TS-60',
		name: 'Termosigillatrice TS-60',
		category: 'packaging',
		requiredSkills: ['plc', 'electronics'],
		serialPrefix: 'VPT',
		attributes: (r) => ({ voltage: r.pick([230, 400]), frequency: 50, powerKw: 3, packsPerMinute: 60 })
	},
	{
		manufacturer: veneta,
		code: 'WR-2000',
		name: 'Avvolgitore per pallet WR-2000',
		category: 'packaging',
		requiredSkills: ['electrical'],
		serialPrefix: 'VPW',
		attributes: () => ({ voltage: 230, frequency: 50, powerKw: 2.2 })
	},
	{
		manufacturer: espressa,
		code: 'DU-2G',
		name: 'Macchina per caffè espresso Duetto 2 gruppi',
		category: 'espresso',
		requiredSkills: ['hydraulics', 'electronics'],
		serialPrefix: 'ESD',
		attributes: (r) => ({ voltage: r.pick([230, 400]), frequency: 50, powerKw: 3.5, groups: 2 })
	},
	{
		manufacturer: espressa,
		code: 'TR-3G',
		name: 'Macchina per caffè espresso Trio 3 gruppi',
		category: 'espresso',
		requiredSkills: ['hydraulics', 'electronics'],
		serialPrefix: 'EST',
		attributes: () => ({ voltage: 400, frequency: 50, powerKw: 5.2, groups: 3 })
	},
	{
		manufacturer: espressa,
		code: 'MD-64',
		name: 'Macinadosatore MD-64',
		category: 'espresso',
		requiredSkills: ['electronics'],
		serialPrefix: 'ESM',
		attributes: () => ({ voltage: 230, frequency: 50, powerKw: 0.5 })
	}
];
