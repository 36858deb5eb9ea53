/** Hand-written Italian reference data for the demo company: real cities, common names and streets. */

export interface City {
	name: string;
	province: string;
	region: string;
	latitude: number;
	longitude: number;
	/** First postal code of the city and how many consecutive codes it has (big cities have many). */
	postalCode: string;
	postalCodes: number;
	/** Landline area code (prefisso), with its leading 0. */
	areaCode: string;
	/** Relative number of demo customers: the industrial cities get more. */
	weight: number;
}

// prettier-ignore
export const cities: readonly City[] = [
	{ name: 'Milano', province: 'MI', region: 'Lombardia', latitude: 45.4642, longitude: 9.19, postalCode: '20121', postalCodes: 42, areaCode: '02', weight: 14 },
	{ name: 'Torino', province: 'TO', region: 'Piemonte', latitude: 45.0703, longitude: 7.6869, postalCode: '10121', postalCodes: 36, areaCode: '011', weight: 8 },
	{ name: 'Genova', province: 'GE', region: 'Liguria', latitude: 44.4056, longitude: 8.9463, postalCode: '16121', postalCodes: 47, areaCode: '010', weight: 4 },
	{ name: 'Bologna', province: 'BO', region: 'Emilia-Romagna', latitude: 44.4949, longitude: 11.3426, postalCode: '40121', postalCodes: 21, areaCode: '051', weight: 7 },
	{ name: 'Firenze', province: 'FI', region: 'Toscana', latitude: 43.7696, longitude: 11.2558, postalCode: '50121', postalCodes: 25, areaCode: '055', weight: 6 },
	{ name: 'Roma', province: 'RM', region: 'Lazio', latitude: 41.9028, longitude: 12.4964, postalCode: '00118', postalCodes: 82, areaCode: '06', weight: 10 },
	{ name: 'Verona', province: 'VR', region: 'Veneto', latitude: 45.4384, longitude: 10.9916, postalCode: '37121', postalCodes: 22, areaCode: '045', weight: 4 },
	{ name: 'Venezia', province: 'VE', region: 'Veneto', latitude: 45.4408, longitude: 12.3155, postalCode: '30121', postalCodes: 56, areaCode: '041', weight: 3 },
	{ name: 'Padova', province: 'PD', region: 'Veneto', latitude: 45.4064, longitude: 11.8768, postalCode: '35121', postalCodes: 23, areaCode: '049', weight: 4 },
	{ name: 'Brescia', province: 'BS', region: 'Lombardia', latitude: 45.5416, longitude: 10.2118, postalCode: '25121', postalCodes: 16, areaCode: '030', weight: 5 },
	{ name: 'Bergamo', province: 'BG', region: 'Lombardia', latitude: 45.6983, longitude: 9.6773, postalCode: '24121', postalCodes: 9, areaCode: '035', weight: 4 },
	{ name: 'Modena', province: 'MO', region: 'Emilia-Romagna', latitude: 44.6471, longitude: 10.9252, postalCode: '41121', postalCodes: 6, areaCode: '059', weight: 4 },
	{ name: 'Parma', province: 'PR', region: 'Emilia-Romagna', latitude: 44.8015, longitude: 10.3279, postalCode: '43121', postalCodes: 6, areaCode: '0521', weight: 3 },
	{ name: 'Reggio Emilia', province: 'RE', region: 'Emilia-Romagna', latitude: 44.6989, longitude: 10.6297, postalCode: '42121', postalCodes: 4, areaCode: '0522', weight: 3 },
	{ name: 'Vicenza', province: 'VI', region: 'Veneto', latitude: 45.5455, longitude: 11.5354, postalCode: '36100', postalCodes: 1, areaCode: '0444', weight: 3 },
	{ name: 'Treviso', province: 'TV', region: 'Veneto', latitude: 45.6669, longitude: 12.243, postalCode: '31100', postalCodes: 1, areaCode: '0422', weight: 3 },
	{ name: 'Trento', province: 'TN', region: 'Trentino-Alto Adige', latitude: 46.0748, longitude: 11.1217, postalCode: '38121', postalCodes: 3, areaCode: '0461', weight: 2 },
	{ name: 'Bolzano', province: 'BZ', region: 'Trentino-Alto Adige', latitude: 46.4983, longitude: 11.3548, postalCode: '39100', postalCodes: 1, areaCode: '0471', weight: 2 },
	{ name: 'Udine', province: 'UD', region: 'Friuli-Venezia Giulia', latitude: 46.0711, longitude: 13.2346, postalCode: '33100', postalCodes: 1, areaCode: '0432', weight: 2 },
	{ name: 'Trieste', province: 'TS', region: 'Friuli-Venezia Giulia', latitude: 45.6495, longitude: 13.7768, postalCode: '34121', postalCodes: 31, areaCode: '040', weight: 2 },
	{ name: 'Pordenone', province: 'PN', region: 'Friuli-Venezia Giulia', latitude: 45.9564, longitude: 12.6615, postalCode: '33170', postalCodes: 1, areaCode: '0434', weight: 2 },
	{ name: 'Pisa', province: 'PI', region: 'Toscana', latitude: 43.7228, longitude: 10.4017, postalCode: '56121', postalCodes: 8, areaCode: '050', weight: 2 },
	{ name: 'Livorno', province: 'LI', region: 'Toscana', latitude: 43.5485, longitude: 10.3106, postalCode: '57121', postalCodes: 8, areaCode: '0586', weight: 2 },
	{ name: 'Prato', province: 'PO', region: 'Toscana', latitude: 43.8777, longitude: 11.1022, postalCode: '59100', postalCodes: 1, areaCode: '0574', weight: 3 },
	{ name: 'Pistoia', province: 'PT', region: 'Toscana', latitude: 43.933, longitude: 10.917, postalCode: '51100', postalCodes: 1, areaCode: '0573', weight: 1 },
	{ name: 'Lucca', province: 'LU', region: 'Toscana', latitude: 43.8429, longitude: 10.5027, postalCode: '55100', postalCodes: 1, areaCode: '0583', weight: 1 },
	{ name: 'Siena', province: 'SI', region: 'Toscana', latitude: 43.3188, longitude: 11.3308, postalCode: '53100', postalCodes: 1, areaCode: '0577', weight: 1 },
	{ name: 'Arezzo', province: 'AR', region: 'Toscana', latitude: 43.4633, longitude: 11.8796, postalCode: '52100', postalCodes: 1, areaCode: '0575', weight: 2 },
	{ name: 'Grosseto', province: 'GR', region: 'Toscana', latitude: 42.7635, longitude: 11.1124, postalCode: '58100', postalCodes: 1, areaCode: '0564', weight: 1 },
	{ name: 'Empoli', province: 'FI', region: 'Toscana', latitude: 43.719, longitude: 10.9466, postalCode: '50053', postalCodes: 1, areaCode: '0571', weight: 1 },
	{ name: 'Ancona', province: 'AN', region: 'Marche', latitude: 43.6158, longitude: 13.5189, postalCode: '60121', postalCodes: 11, areaCode: '071', weight: 2 },
	{ name: 'Pesaro', province: 'PU', region: 'Marche', latitude: 43.9098, longitude: 12.9131, postalCode: '61121', postalCodes: 2, areaCode: '0721', weight: 2 },
	{ name: 'Macerata', province: 'MC', region: 'Marche', latitude: 43.3007, longitude: 13.4532, postalCode: '62100', postalCodes: 1, areaCode: '0733', weight: 1 },
	{ name: 'Fabriano', province: 'AN', region: 'Marche', latitude: 43.3363, longitude: 12.9047, postalCode: '60044', postalCodes: 1, areaCode: '0732', weight: 1 },
	{ name: 'Perugia', province: 'PG', region: 'Umbria', latitude: 43.1107, longitude: 12.3908, postalCode: '06121', postalCodes: 15, areaCode: '075', weight: 2 },
	{ name: 'Foligno', province: 'PG', region: 'Umbria', latitude: 42.9561, longitude: 12.7033, postalCode: '06034', postalCodes: 1, areaCode: '0742', weight: 1 },
	{ name: 'Terni', province: 'TR', region: 'Umbria', latitude: 42.5636, longitude: 12.6427, postalCode: '05100', postalCodes: 1, areaCode: '0744', weight: 1 },
	{ name: 'Latina', province: 'LT', region: 'Lazio', latitude: 41.4676, longitude: 12.9037, postalCode: '04100', postalCodes: 1, areaCode: '0773', weight: 2 },
	{ name: 'Viterbo', province: 'VT', region: 'Lazio', latitude: 42.4207, longitude: 12.1077, postalCode: '01100', postalCodes: 1, areaCode: '0761', weight: 1 },
	{ name: 'Frosinone', province: 'FR', region: 'Lazio', latitude: 41.6396, longitude: 13.3512, postalCode: '03100', postalCodes: 1, areaCode: '0775', weight: 1 },
	{ name: 'Rieti', province: 'RI', region: 'Lazio', latitude: 42.4045, longitude: 12.8567, postalCode: '02100', postalCodes: 1, areaCode: '0746', weight: 1 },
	{ name: 'Piacenza', province: 'PC', region: 'Emilia-Romagna', latitude: 45.0526, longitude: 9.693, postalCode: '29121', postalCodes: 2, areaCode: '0523', weight: 2 },
	{ name: 'Ferrara', province: 'FE', region: 'Emilia-Romagna', latitude: 44.8381, longitude: 11.6198, postalCode: '44121', postalCodes: 4, areaCode: '0532', weight: 2 },
	{ name: 'Ravenna', province: 'RA', region: 'Emilia-Romagna', latitude: 44.4184, longitude: 12.2035, postalCode: '48121', postalCodes: 5, areaCode: '0544', weight: 2 },
	{ name: 'Rimini', province: 'RN', region: 'Emilia-Romagna', latitude: 44.0678, longitude: 12.5695, postalCode: '47921', postalCodes: 4, areaCode: '0541', weight: 2 },
	{ name: 'Forlì', province: 'FC', region: 'Emilia-Romagna', latitude: 44.2227, longitude: 12.0407, postalCode: '47121', postalCodes: 2, areaCode: '0543', weight: 1 },
	{ name: 'Imola', province: 'BO', region: 'Emilia-Romagna', latitude: 44.3533, longitude: 11.7143, postalCode: '40026', postalCodes: 1, areaCode: '0542', weight: 1 },
	{ name: 'Sassuolo', province: 'MO', region: 'Emilia-Romagna', latitude: 44.5426, longitude: 10.7847, postalCode: '41049', postalCodes: 1, areaCode: '0536', weight: 2 },
	{ name: 'Carpi', province: 'MO', region: 'Emilia-Romagna', latitude: 44.7837, longitude: 10.885, postalCode: '41012', postalCodes: 1, areaCode: '059', weight: 1 },
	{ name: 'Como', province: 'CO', region: 'Lombardia', latitude: 45.8081, longitude: 9.0852, postalCode: '22100', postalCodes: 1, areaCode: '031', weight: 2 },
	{ name: 'Varese', province: 'VA', region: 'Lombardia', latitude: 45.8206, longitude: 8.8251, postalCode: '21100', postalCodes: 1, areaCode: '0332', weight: 2 },
	{ name: 'Monza', province: 'MB', region: 'Lombardia', latitude: 45.5845, longitude: 9.2744, postalCode: '20900', postalCodes: 1, areaCode: '039', weight: 3 },
	{ name: 'Lecco', province: 'LC', region: 'Lombardia', latitude: 45.8566, longitude: 9.3977, postalCode: '23900', postalCodes: 1, areaCode: '0341', weight: 2 },
	{ name: 'Cremona', province: 'CR', region: 'Lombardia', latitude: 45.1333, longitude: 10.0227, postalCode: '26100', postalCodes: 1, areaCode: '0372', weight: 1 },
	{ name: 'Mantova', province: 'MN', region: 'Lombardia', latitude: 45.1564, longitude: 10.7914, postalCode: '46100', postalCodes: 1, areaCode: '0376', weight: 1 },
	{ name: 'Pavia', province: 'PV', region: 'Lombardia', latitude: 45.1847, longitude: 9.1582, postalCode: '27100', postalCodes: 1, areaCode: '0382', weight: 1 },
	{ name: 'Lodi', province: 'LO', region: 'Lombardia', latitude: 45.3097, longitude: 9.5037, postalCode: '26900', postalCodes: 1, areaCode: '0371', weight: 1 },
	{ name: 'Novara', province: 'NO', region: 'Piemonte', latitude: 45.4469, longitude: 8.622, postalCode: '28100', postalCodes: 1, areaCode: '0321', weight: 2 },
	{ name: 'Alessandria', province: 'AL', region: 'Piemonte', latitude: 44.9126, longitude: 8.6153, postalCode: '15121', postalCodes: 1, areaCode: '0131', weight: 1 },
	{ name: 'Asti', province: 'AT', region: 'Piemonte', latitude: 44.9008, longitude: 8.2064, postalCode: '14100', postalCodes: 1, areaCode: '0141', weight: 1 },
	{ name: 'Cuneo', province: 'CN', region: 'Piemonte', latitude: 44.3845, longitude: 7.5427, postalCode: '12100', postalCodes: 1, areaCode: '0171', weight: 2 },
	{ name: 'Biella', province: 'BI', region: 'Piemonte', latitude: 45.5663, longitude: 8.0533, postalCode: '13900', postalCodes: 1, areaCode: '015', weight: 1 },
	{ name: 'Vercelli', province: 'VC', region: 'Piemonte', latitude: 45.3202, longitude: 8.4185, postalCode: '13100', postalCodes: 1, areaCode: '0161', weight: 1 },
	{ name: 'La Spezia', province: 'SP', region: 'Liguria', latitude: 44.1025, longitude: 9.8241, postalCode: '19121', postalCodes: 6, areaCode: '0187', weight: 1 },
	{ name: 'Savona', province: 'SV', region: 'Liguria', latitude: 44.3091, longitude: 8.4772, postalCode: '17100', postalCodes: 1, areaCode: '019', weight: 1 },
	{ name: 'Aosta', province: 'AO', region: "Valle d'Aosta", latitude: 45.737, longitude: 7.3201, postalCode: '11100', postalCodes: 1, areaCode: '0165', weight: 1 },
	{ name: 'Rovigo', province: 'RO', region: 'Veneto', latitude: 45.0698, longitude: 11.7902, postalCode: '45100', postalCodes: 1, areaCode: '0425', weight: 1 },
	{ name: 'Belluno', province: 'BL', region: 'Veneto', latitude: 46.1425, longitude: 12.2167, postalCode: '32100', postalCodes: 1, areaCode: '0437', weight: 1 },
	{ name: 'Bassano del Grappa', province: 'VI', region: 'Veneto', latitude: 45.7667, longitude: 11.7342, postalCode: '36061', postalCodes: 1, areaCode: '0424', weight: 1 },
	{ name: 'Schio', province: 'VI', region: 'Veneto', latitude: 45.7136, longitude: 11.3594, postalCode: '36015', postalCodes: 1, areaCode: '0445', weight: 1 }
];

export const cityWeights: readonly number[] = cities.map((c) => c.weight);

export function cityNamed(name: string): City {
	const city = cities.find((c) => c.name === name);
	if (!city) throw new Error(`unknown demo city ${name}`);
	return city;
}

// prettier-ignore
export const maleFirstNames = [
	'Marco', 'Luca', 'Andrea', 'Francesco', 'Alessandro', 'Matteo', 'Lorenzo', 'Davide', 'Simone', 'Stefano',
	'Giuseppe', 'Giovanni', 'Paolo', 'Roberto', 'Massimo', 'Fabio', 'Riccardo', 'Federico', 'Gabriele', 'Antonio',
	'Mario', 'Claudio', 'Daniele', 'Emanuele', 'Nicola', 'Alberto', 'Filippo', 'Tommaso', 'Niccolò', 'Pietro',
	'Enrico', 'Michele', 'Giorgio', 'Sergio', 'Maurizio', 'Cristian', 'Diego', 'Mattia', 'Salvatore', 'Vincenzo'
] as const;

// prettier-ignore
export const femaleFirstNames = [
	'Giulia', 'Francesca', 'Chiara', 'Sara', 'Martina', 'Valentina', 'Federica', 'Elena', 'Alessia', 'Silvia',
	'Laura', 'Paola', 'Anna', 'Maria', 'Roberta', 'Elisa', 'Claudia', 'Monica', 'Barbara', 'Cristina',
	'Alessandra', 'Serena', 'Giorgia', 'Ilaria', 'Simona', 'Daniela', 'Beatrice', 'Camilla', 'Arianna', 'Valeria',
	'Stefania', 'Manuela', 'Marta', 'Irene', 'Noemi', 'Lucia', 'Veronica', 'Antonella', 'Sofia', 'Emma'
] as const;

// prettier-ignore
export const surnames = [
	'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco',
	'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti',
	'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone',
	'Longo', 'Gentile', 'Martinelli', 'Vitale', 'Lombardo', 'Serra', 'Coppola', 'De Santis', "D'Angelo", 'Marchetti',
	'Parisi', 'Villa', 'Conte', 'Ferraro', 'Ferri', 'Fabbri', 'Bianco', 'Marini', 'Grasso', 'Valentini',
	'Messina', 'Sala', 'De Angelis', 'Gatti', 'Pellegrini', 'Palumbo', 'Sanna', 'Farina', 'Rizzi', 'Monti',
	'Cattaneo', 'Morelli', 'Amato', 'Silvestri', 'Mazza', 'Testa', 'Grassi', 'Pellegrino', 'Carbone', 'Giuliani',
	'Benedetti', 'Barone', 'Rossetti', 'Caputo', 'Montanari', 'Guerra', 'Palmieri', 'Bernardi', 'Martino', 'Fiore',
	'De Rosa', 'Ferretti', 'Bellini', 'Basile', 'Riva', 'Donati', 'Piras', 'Vitali', 'Battaglia', 'Sartori',
	'Neri', 'Costantini', 'Milani', 'Pagano', 'Ruggiero', 'Orlando', 'Negri', 'Zanetti', 'Bassi', 'Brambilla',
	'Bonetti', 'Pozzi', 'Tosi', 'Zanella', 'Bertolini', 'Fumagalli', 'Bertoni', 'Cavallo', 'Zanoni', 'Pavan',
	'Berti', 'Bellucci', 'Mazzoni', 'Valli', 'Righi', 'Baldini', 'Zucchi', 'Ghidoni', 'Benassi', 'Corradini'
] as const;

// prettier-ignore
export const streets = [
	'Via Roma', 'Via Giuseppe Garibaldi', 'Via Giuseppe Mazzini', 'Corso Vittorio Emanuele II', "Via dell'Industria",
	"Via dell'Artigianato", 'Via Enrico Fermi', 'Via Alessandro Volta', 'Via Guglielmo Marconi', 'Via del Lavoro',
	'Viale Europa', 'Via Leonardo da Vinci', 'Via Antonio Gramsci', 'Via Nazionale', 'Via dei Mille',
	'Via XX Settembre', 'Via IV Novembre', 'Via Cesare Battisti', 'Via Galileo Galilei', 'Via Piave',
	'Via San Francesco', 'Via delle Industrie', 'Via Aldo Moro', 'Via Giacomo Matteotti', 'Via Emilia',
	'Via Alessandro Manzoni', 'Via Dante Alighieri', 'Viale della Repubblica', 'Via Vittorio Veneto', 'Via Trieste',
	'Via degli Artigiani', 'Via Copernico', 'Via Torricelli', 'Via Meucci', 'Via Pacinotti',
	'Via Primo Maggio', 'Via della Tecnica', "Via dell'Innovazione", 'Via Caduti del Lavoro', 'Via Edison'
] as const;

/**
 * Provincial office code (digits 8-10 of a Partita IVA): the province's historical ISTAT number,
 * or the code given to the newer provinces.
 */
// prettier-ignore
export const vatOfficeCodes: Readonly<Record<string, string>> = {
	TO: '001', VC: '002', NO: '003', CN: '004', AT: '005', AL: '006', AO: '007', SV: '009', GE: '010', SP: '011',
	VA: '012', CO: '013', MI: '015', BG: '016', BS: '017', PV: '018', CR: '019', MN: '020', BZ: '021', TN: '022',
	VR: '023', VI: '024', BL: '025', TV: '026', VE: '027', PD: '028', RO: '029', UD: '030', TS: '032', PC: '033',
	PR: '034', RE: '035', MO: '036', BO: '037', FE: '038', RA: '039', FC: '040', PU: '041', AN: '042', MC: '043',
	LU: '046', PT: '047', FI: '048', LI: '049', PI: '050', AR: '051', SI: '052', GR: '053', PG: '054', TR: '055',
	VT: '056', RI: '057', RM: '058', LT: '059', FR: '060', PN: '093', BI: '096', LC: '097', LO: '098', RN: '099',
	PO: '100', MB: '108'
};

/** Appends the check digit to the first 10 digits of a Partita IVA (a Luhn variant). */
export function withVatCheckDigit(first10: string): string {
	let sum = 0;
	for (let i = 0; i < 10; i++) {
		let digit = first10.charCodeAt(i) - 48;
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return first10 + ((10 - (sum % 10)) % 10);
}

/** Lower-case ASCII letters and digits, words joined by `separator`: for e-mail addresses and domains. */
export function slug(text: string, separator: '' | '-' | '.' = ''): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean)
		.join(separator);
}
