/**
 * The "Customers" Code node of each demo workflow: the JavaScript that n8n runs to produce a few
 * hundred customers as a CRM export would hand them over, in the vendor's part of the world.
 *
 * The code is what a user reads in the editor, so it is written out here as text, not compiled
 * from TypeScript. It is deterministic (a seeded generator), except Dustess's mobile numbers,
 * which change with every run (see there). A few rows carry a mistake real exports have, each
 * named in the row's `plantedMistake`, so that both outputs of the vendor node get items.
 */

export type DemoVendor = 'thulium' | 'nxcloud' | 'dustess';

export const DEMO_CUSTOMER_COUNT = 250;

/** Helpers shared by every vendor's code: a seeded generator and a few pickers. */
const PRELUDE = `// A fixed seed: every run produces the same customers.
let seed = 20240611;
const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const pick = (list) => list[Math.floor(random() * list.length)];
const digits = (count) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
const pad = (number, length = 2) => String(number).padStart(length, '0');
const birthday = () => \`\${1950 + Math.floor(random() * 54)}-\${pad(1 + Math.floor(random() * 12))}-\${pad(1 + Math.floor(random() * 28))}\`;
const ascii = (text) => text.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').replace(/[^A-Za-z]/g, '').toLowerCase();
`;

/**
 * Every nth row gets one mistake (the first rule whose n divides the row number). The rules are
 * the vendor's; the loop that applies them is the same for all.
 */
const APPLY_MISTAKES = `for (const customer of customers) {
  const mistake = MISTAKES.find(([every]) => customer.row % every === 0);
  if (!mistake) continue;
  mistake[2](customer);
  customer.plantedMistake = mistake[1];
}

return customers.map((json) => ({ json }));
`;

const THULIUM = `// ${DEMO_CUSTOMER_COUNT} customers of a Polish shop, as its CRM exports them.
const PEOPLE = [
  ['Anna', 'female'], ['Katarzyna', 'female'], ['Małgorzata', 'female'], ['Agnieszka', 'female'], ['Ewa', 'female'],
  ['Magdalena', 'female'], ['Joanna', 'female'], ['Zofia', 'female'], ['Julia', 'female'], ['Barbara', 'female'],
  ['Piotr', 'male'], ['Krzysztof', 'male'], ['Andrzej', 'male'], ['Tomasz', 'male'], ['Paweł', 'male'],
  ['Jan', 'male'], ['Michał', 'male'], ['Marcin', 'male'], ['Łukasz', 'male'], ['Jakub', 'male'],
];
// Surnames as [male form, female form].
const SURNAMES = [
  ['Nowak', 'Nowak'], ['Kowalski', 'Kowalska'], ['Wiśniewski', 'Wiśniewska'], ['Wójcik', 'Wójcik'],
  ['Kamiński', 'Kamińska'], ['Lewandowski', 'Lewandowska'], ['Zieliński', 'Zielińska'], ['Woźniak', 'Woźniak'],
  ['Dąbrowski', 'Dąbrowska'], ['Kozłowski', 'Kozłowska'], ['Jankowski', 'Jankowska'], ['Mazur', 'Mazur'],
  ['Krawczyk', 'Krawczyk'], ['Piotrowski', 'Piotrowska'], ['Grabowski', 'Grabowska'], ['Pawlak', 'Pawlak'],
];
const CITIES = [
  ['Warszawa', '00-950'], ['Kraków', '30-001'], ['Łódź', '90-001'], ['Wrocław', '50-001'], ['Poznań', '60-001'],
  ['Gdańsk', '80-001'], ['Szczecin', '70-001'], ['Lublin', '20-001'], ['Katowice', '40-001'], ['Białystok', '15-001'],
];
const STREETS = ['Marszałkowska', 'Długa', 'Piotrkowska', 'Floriańska', 'Mickiewicza', 'Słowackiego', 'Kościuszki', 'Polna', 'Lipowa', 'Ogrodowa'];
const COMPANIES = ['', '', '', 'Logistyka Kowalczyk sp. z o.o.', 'Mleczarnia Mazowsze', 'Biuro Rachunkowe Nowak', 'TechBud S.A.', 'Apteka pod Lwem'];
const JOB_TITLES = ['Kierownik zakupów', 'Właściciel', 'Księgowa', 'Specjalista ds. logistyki', 'Dyrektor handlowy'];
const MAIL_DOMAINS = ['gmail.com', 'wp.pl', 'onet.pl', 'interia.pl', 'o2.pl'];
// Customer groups as this Thulium system defines them.
const GROUPS = ['Retail', 'Retail', 'Retail', 'Wholesale', 'VIP'];

const customers = [];
for (let row = 1; row <= ${DEMO_CUSTOMER_COUNT}; row++) {
  const [firstName, gender] = pick(PEOPLE);
  const lastName = pick(SURNAMES)[gender === 'male' ? 0 : 1];
  const [city, postcode] = pick(CITIES);
  const company = pick(COMPANIES);
  customers.push({
    row,
    crmId: \`PL-\${pad(row, 5)}\`,
    firstName,
    lastName,
    email: \`\${ascii(firstName)}.\${ascii(lastName)}\${row}@\${pick(MAIL_DOMAINS)}\`,
    phone: \`+48 \${pick(['5', '6', '7', '8'])}\${digits(2)} \${digits(3)} \${digits(3)}\`,
    birthday: birthday(),
    street: pick(STREETS),
    building: String(1 + Math.floor(random() * 120)),
    postcode,
    city,
    country: 'Polska',
    company,
    jobTitle: company ? pick(JOB_TITLES) : '',
    group: pick(GROUPS),
    newsletter: random() < 0.4 ? 'yes' : 'no',
  });
}

// [every nth row, what is wrong, the change]
const MISTAKES = [
  [17, 'no surname: the node fails it before sending', (customer) => { customer.lastName = ''; }],
  [29, 'birth date written dd/mm/yyyy: ambiguous without Options → Date Order, refused before sending', (customer) => { customer.birthday = customer.birthday.split('-').reverse().join('/'); }],
  [41, 'phone written in words: Thulium refuses it', (customer) => { customer.phone = 'call after 5 pm'; }],
  [53, 'a customer group this Thulium system does not have: Thulium refuses it', (customer) => { customer.group = 'Gold'; }],
];
`;

const NXCLOUD = `// ${DEMO_CUSTOMER_COUNT} customers across South-East Asia, as a CRM exports them.
const COUNTRIES = [
  {
    country: 'Indonesia', code: '62', mobile: '8', timeZone: 'GMT+7', cities: ['Jakarta', 'Surabaya', 'Bandung'],
    people: [['Budi', 'Male'], ['Siti', 'Female'], ['Agus', 'Male'], ['Dewi', 'Female'], ['Rizky', 'Male'], ['Putri', 'Female']],
    surnames: ['Santoso', 'Wijaya', 'Pratama', 'Saputra', 'Lestari', 'Hidayat'],
  },
  {
    country: 'Philippines', code: '63', mobile: '9', timeZone: 'GMT+8', cities: ['Manila', 'Cebu City', 'Davao City'],
    people: [['Jose', 'Male'], ['Maria', 'Female'], ['Angelo', 'Male'], ['Kristine', 'Female'], ['Mark', 'Male'], ['Joy', 'Female']],
    surnames: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia', 'Mendoza'],
  },
  {
    country: 'Vietnam', code: '84', mobile: '9', timeZone: 'GMT+7', cities: ['Ho Chi Minh City', 'Hanoi', 'Da Nang'],
    people: [['Minh', 'Male'], ['Linh', 'Female'], ['Tuan', 'Male'], ['Huong', 'Female'], ['Duc', 'Male'], ['Thao', 'Female']],
    surnames: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Vu'],
  },
  {
    country: 'Thailand', code: '66', mobile: '8', timeZone: 'GMT+7', cities: ['Bangkok', 'Chiang Mai', 'Phuket'],
    people: [['Somchai', 'Male'], ['Kanya', 'Female'], ['Anan', 'Male'], ['Malee', 'Female'], ['Niran', 'Male'], ['Ploy', 'Female']],
    surnames: ['Suksawat', 'Wongsakul', 'Chaiyaporn', 'Srisuk', 'Rattanakul', 'Boonmee'],
  },
  {
    country: 'Malaysia', code: '60', mobile: '1', timeZone: 'GMT+8', cities: ['Kuala Lumpur', 'Penang', 'Johor Bahru'],
    people: [['Ahmad', 'Male'], ['Nurul', 'Female'], ['Jason', 'Male'], ['Wei Ling', 'Female'], ['Kumar', 'Male'], ['Farah', 'Female']],
    surnames: ['Tan', 'Lim', 'Abdullah', 'Rahman', 'Wong', 'Raj'],
  },
];
const MAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com'];
// The tenant's custom field customize_1_14 (Membership Level) and its seats.
const LEVELS = ['silver', 'silver', 'silver', 'gold'];
const SEATS = ['agent01', 'agent02'];

const customers = [];
for (let row = 1; row <= ${DEMO_CUSTOMER_COUNT}; row++) {
  const place = pick(COUNTRIES);
  const [firstName, gender] = pick(place.people);
  const lastName = pick(place.surnames);
  const phone = \`+\${place.code}\${place.mobile}\${digits(9)}\`;
  customers.push({
    row,
    crmId: \`SEA-\${pad(row, 5)}\`,
    firstName,
    lastName,
    email: \`\${ascii(firstName)}.\${ascii(lastName)}\${row}@\${pick(MAIL_DOMAINS)}\`,
    phone,
    whatsApp: random() < 0.7 ? phone : '',
    country: place.country,
    city: pick(place.cities),
    timeZone: place.timeZone,
    birthday: birthday(),
    gender,
    membership: pick(LEVELS),
    seat: pick(SEATS),
    note: random() < 0.2 ? 'Asked for a callback about the annual plan' : '',
  });
}

// [every nth row, what is wrong, the change]
const MISTAKES = [
  [19, 'no first name: the node fails it before sending', (customer) => { customer.firstName = ''; }],
  [31, "a shared mailbox address longer than NXCLOUD's 50 characters: refused before sending", (customer) => { customer.email = \`customer-service.accounts-payable.department@\${customer.email.split('@')[1]}\`; }],
  [37, 'an address at a domain this tenant blocks: NXCLOUD refuses it', (customer) => { customer.email = \`\${ascii(customer.firstName)}\${customer.row}@blocked.example\`; }],
  [47, 'assigned to a seat that does not exist: NXCLOUD refuses it', (customer) => { customer.seat = 'agent07'; }],
];
`;

const DUSTESS = `// ${DEMO_CUSTOMER_COUNT} contacts of a Chinese B2B sales team, as its CRM exports them.
// Surnames and given names with their pinyin, for the email addresses.
const SURNAMES = [['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'], ['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'], ['胡', 'hu'], ['林', 'lin']];
const GIVEN = {
  男: [['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['洋', 'yang'], ['勇', 'yong'], ['杰', 'jie'], ['涛', 'tao'], ['明', 'ming']],
  女: [['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['婷', 'ting'], ['雪', 'xue'], ['琳', 'lin']],
};
const REGIONS = ['广东省/深圳市/南山区', '浙江省/杭州市/西湖区', '四川省/成都市/武侯区', '北京市/北京市/朝阳区', '上海市/上海市/浦东新区', '江苏省/南京市/鼓楼区'];
const COMPANIES = ['深圳市腾飞科技有限公司', '杭州云帆贸易有限公司', '成都天府食品有限公司', '北京华信咨询有限公司', '上海浦江物流有限公司'];
const POSITIONS = ['采购经理', '总经理', '市场总监', '财务主管', '销售代表'];
const EDUCATION = ['本科', '本科', '硕士', '专科', '高中'];
const MAIL_DOMAINS = ['163.com', 'qq.com', '126.com'];
// New contacts go to the sales team's public pool; a few already have an owner.
const POOL = 'pool-sales';
const OWNERS = ['staff-001', 'staff-002'];

// Dustess refuses a mobile number it already has (code 13000), so the numbers change with
// every run: 13 + five digits of this run + the row number.
const run = pad(Math.floor(Date.now() / 1000) % 100000, 5);

const customers = [];
for (let row = 1; row <= ${DEMO_CUSTOMER_COUNT}; row++) {
  const gender = random() < 0.5 ? '男' : '女';
  const [surname, surnamePinyin] = pick(SURNAMES);
  const [given, givenPinyin] = pick(GIVEN[gender]);
  const owned = random() < 0.15;
  const born = birthday();
  customers.push({
    row,
    crmId: \`CN-\${pad(row, 5)}\`,
    name: surname + given,
    gender,
    mobile: \`13\${run}\${pad(row, 4)}\`,
    email: \`\${givenPinyin}.\${surnamePinyin}\${row}@\${pick(MAIL_DOMAINS)}\`,
    company: pick(COMPANIES),
    position: pick(POSITIONS),
    region: pick(REGIONS),
    birthday: born,
    age: 2025 - Number(born.slice(0, 4)),
    education: pick(EDUCATION),
    owner: owned ? pick(OWNERS) : '',
    pool: owned ? '' : POOL,
  });
}

// [every nth row, what is wrong, the change]
const MISTAKES = [
  [17, 'neither an owner nor a pool: the node fails it before sending', (customer) => { customer.owner = ''; customer.pool = ''; }],
  [23, 'the birth year typed as the age: refused before sending', (customer) => { customer.age = Number(customer.birthday.slice(0, 4)); }],
  [31, 'a mobile number written with dashes: Dustess refuses it', (customer) => { customer.mobile = customer.mobile.replace(/^(\\d{3})(\\d{4})(\\d{4})$/, '$1-$2-$3'); }],
  [43, 'the mobile number of the first contact (CN-00001, item 0 as n8n counts items) again: a duplicate row, kept back (Options → Skip Duplicate Rows)', (customer) => { customer.mobile = customers[0].mobile; }],
];
`;

const BODIES: Record<DemoVendor, string> = { thulium: THULIUM, nxcloud: NXCLOUD, dustess: DUSTESS };

/** The JavaScript of a demo's "Customers" Code node (mode: run once for all items). */
export function customersCode(vendor: DemoVendor): string {
	return `${PRELUDE}\n${BODIES[vendor]}\n${APPLY_MISTAKES}`;
}

/** A demo customer as the Code node produces it. */
export interface DemoCustomer {
	row: number;
	plantedMistake?: string;
	[field: string]: unknown;
}

/** Runs a demo's Code node outside n8n (for tests): the customers it would produce. */
export function generateCustomers(vendor: DemoVendor): DemoCustomer[] {
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	const items = new Function(customersCode(vendor))() as Array<{ json: DemoCustomer }>;
	return items.map((item) => item.json);
}
