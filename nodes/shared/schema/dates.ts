/**
 * The order of day and month in dates such as `05/06/1980`, from the node option "Date Order":
 * `ymd` accepts only forms that start with the year (and `17.05.1980`), `dmy` and `mdy` also
 * read `dd/MM/yyyy` or `MM/dd/yyyy` (with `/` or `-`).
 */
export type DateOrder = 'ymd' | 'dmy' | 'mdy';

export const DATE_ORDERS: readonly DateOrder[] = ['ymd', 'dmy', 'mdy'];

/** What the node option is called in the panel, for messages. */
export const DATE_ORDER_OPTION = 'Options → Date Order';

/** `notADate`: no form we read; `ambiguous`: day and month could be either way round; `notARealDate`: e.g. 30 February. */
export type DateProblem = 'notADate' | 'ambiguous' | 'notARealDate';

export type DateReading = { ok: true; date: string } | { ok: false; reason: DateProblem };

// The same separator twice; anything after the date must start with a time (`T` or a space).
const YEAR_FIRST = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?=$|[T ])/;
/** `yyyy-MM-dd` exactly, the form dates are sent in. */
const VENDOR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?=$| )/;
const YEAR_LAST = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4})(?=$| )/;
/** The time after a date: `T14:30`, ` 14:30:05`, `T14:30:05.123+02:00`, `T14:30:05Z`; the zone is not read. */
const TIME = /^[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A day of the proleptic Gregorian calendar (as JavaScript's Date counts), years 1 to 9999. */
function isRealDate(year: number, month: number, day: number): boolean {
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** The number written by `count` ASCII digits at `start` of a text. */
function digitsAt(text: string, start: number, count: number): number {
	let number = 0;
	for (let at = start; at < start + count; at++) number = number * 10 + text.charCodeAt(at) - 48;
	return number;
}

function pad(value: number, digits = 2): string {
	return String(value).padStart(digits, '0');
}

/** A real calendar date as `yyyy-MM-dd`, the year always in four digits (0999-05-17, not 999-05-17). */
function calendarDate(year: number, month: number, day: number): DateReading {
	if (!isRealDate(year, month, day)) return { ok: false, reason: 'notARealDate' };
	return { ok: true, date: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

/**
 * A Date object, also one made in another JavaScript realm (a sandbox), where `instanceof Date`
 * is false.
 */
export function isDate(value: unknown): value is Date {
	return Object.prototype.toString.call(value) === '[object Date]';
}

const calendarFormats = new Map<string, Intl.DateTimeFormat | undefined>();

/** The calendar of a time zone, or undefined for a zone this system does not know. */
function calendarFormat(timeZone: string): Intl.DateTimeFormat | undefined {
	if (!calendarFormats.has(timeZone)) {
		let format: Intl.DateTimeFormat | undefined;
		try {
			format = new Intl.DateTimeFormat('en-US', {
				timeZone,
				calendar: 'gregory',
				numberingSystem: 'latn',
				era: 'short',
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: 'numeric',
				minute: 'numeric',
				second: 'numeric',
				hourCycle: 'h23',
			});
		} catch {
			format = undefined;
		}
		calendarFormats.set(timeZone, format);
	}
	return calendarFormats.get(timeZone);
}

/** A Date object's calendar date and time of day, or why it has none. */
type DateObjectParts = { ok: true; year: number; month: number; day: number; time: string } | { ok: false; reason: DateProblem };

/**
 * The day and time a Date object falls on in a time zone: what n8n shows for it in a workflow with
 * that zone. Without a zone, or with one this system does not know (n8n stores only zones it
 * knows), UTC.
 */
function dateObjectParts(value: Date, timeZone: string | undefined): DateObjectParts {
	if (Number.isNaN(value.getTime())) return { ok: false, reason: 'notADate' };
	const format = timeZone ? calendarFormat(timeZone) : undefined;
	if (!format) {
		if (value.getUTCFullYear() < 1) return { ok: false, reason: 'notADate' };
		const time = [value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds()].map((part) => pad(part)).join(':');
		return { ok: true, year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate(), time };
	}
	const parts = Object.fromEntries(format.formatToParts(value).map((part) => [part.type, part.value]));
	// Years before the common era have no yyyy-MM-dd form.
	if (parts.era !== 'AD') return { ok: false, reason: 'notADate' };
	const time = [parts.hour, parts.minute, parts.second].map((part) => pad(Number(part))).join(':');
	return { ok: true, year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), time };
}

/** A text that starts with a date: the date, and the text after it. */
function dateInText(text: string, order: DateOrder): { reading: DateReading; rest: string } {
	let match = YEAR_FIRST.exec(text);
	if (match) return { reading: calendarDate(Number(match[1]), Number(match[3]), Number(match[4])), rest: text.slice(match[0].length) };
	match = DOTTED.exec(text);
	if (match) return { reading: calendarDate(Number(match[3]), Number(match[2]), Number(match[1])), rest: text.slice(match[0].length) };
	match = YEAR_LAST.exec(text);
	if (match) {
		const rest = text.slice(match[0].length);
		if (order === 'ymd') return { reading: { ok: false, reason: 'ambiguous' }, rest };
		const [first, second, year] = [Number(match[1]), Number(match[3]), Number(match[4])];
		return { reading: order === 'dmy' ? calendarDate(year, second, first) : calendarDate(year, first, second), rest };
	}
	return { reading: { ok: false, reason: 'notADate' }, rest: text };
}

function isLuxonLike(value: unknown): value is { toISO: () => unknown } {
	return typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function';
}

/**
 * The calendar date of a value as `yyyy-MM-dd`. Accepts `yyyy-MM-dd` (also with `/` or `.`), ISO
 * date-times (the date as written, so an upstream time zone never shifts a birthday),
 * `dd.MM.yyyy`, Date objects (the date they fall on in `timeZone`, the workflow's time zone, as
 * n8n shows them; UTC without one) and Luxon DateTimes (the date in their own zone).
 * `05/06/1980` and `05-06-1980` are read only with a day/month order; without one they are
 * refused as ambiguous rather than guessed.
 */
export function readDate(value: unknown, order: DateOrder = 'ymd', timeZone?: string): DateReading {
	// Already the form it is sent in, a real date: read as the rule below reads it, to the same text.
	if (typeof value === 'string' && VENDOR_DATE.test(value)) {
		const year = digitsAt(value, 0, 4);
		if (isRealDate(year, digitsAt(value, 5, 2), digitsAt(value, 8, 2))) return { ok: true, date: value };
	}
	if (isDate(value)) {
		const parts = dateObjectParts(value, timeZone);
		return parts.ok ? calendarDate(parts.year, parts.month, parts.day) : parts;
	}
	if (isLuxonLike(value)) return readDate(value.toISO(), order);
	if (typeof value !== 'string') return { ok: false, reason: 'notADate' };
	return dateInText(value.trim(), order).reading;
}

export type DateTimeReading = { ok: true; dateTime: string } | { ok: false; reason: DateProblem };

/**
 * A date and time of day as `yyyy-MM-dd HH:mm:ss`. Reads the dates readDate reads, each optionally
 * followed by a time (`T` or a space, then `HH:mm` or `HH:mm:ss`, a fraction of a second and a zone
 * ignored): the time as written, like the date, so an upstream time zone never shifts it; a date
 * alone is midnight. A Date object is read as the date and time n8n shows for it in `timeZone`
 * (UTC without one), a Luxon DateTime as its own.
 */
export function readDateTime(value: unknown, order: DateOrder = 'ymd', timeZone?: string): DateTimeReading {
	if (isDate(value)) {
		const parts = dateObjectParts(value, timeZone);
		if (!parts.ok) return parts;
		const date = calendarDate(parts.year, parts.month, parts.day);
		return date.ok ? { ok: true, dateTime: `${date.date} ${parts.time}` } : date;
	}
	if (isLuxonLike(value)) return readDateTime(value.toISO(), order);
	if (typeof value !== 'string') return { ok: false, reason: 'notADate' };
	const { reading, rest } = dateInText(value.trim(), order);
	if (!reading.ok) return reading;
	if (rest === '') return { ok: true, dateTime: `${reading.date} 00:00:00` };
	const time = TIME.exec(rest);
	if (!time) return { ok: false, reason: 'notADate' };
	const [hour, minute, second] = [Number(time[1]), Number(time[2]), Number(time[3] ?? 0)];
	if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'notARealDate' };
	return { ok: true, dateTime: `${reading.date} ${pad(hour)}:${pad(minute)}:${pad(second)}` };
}

/** The calendar date of a value as `yyyy-MM-dd`, or undefined when it is not one (see readDate). */
export function toVendorDate(value: unknown, order: DateOrder = 'ymd', timeZone?: string): string | undefined {
	const reading = readDate(value, order, timeZone);
	return reading.ok ? reading.date : undefined;
}
