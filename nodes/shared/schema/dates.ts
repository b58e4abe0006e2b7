/**
 * The order of day and month in dates such as `05/06/1980`, from the node option "Date Order":
 * `ymd` accepts only forms that start with the year (and `17.05.1980`), `dmy` and `mdy` also
 * read `dd/MM/yyyy` or `MM/dd/yyyy` (with `/` or `-`).
 */
export type DateOrder = 'ymd' | 'dmy' | 'mdy';

export const DATE_ORDERS: readonly DateOrder[] = ['ymd', 'dmy', 'mdy'];

/** What the node option is called in the panel, for messages. */
export const DATE_ORDER_OPTION = 'Options → Date Order';

export type DateReading =
	| { ok: true; date: string }
	/** `notADate`: no form we read; `ambiguous`: day and month could be either way round; `notARealDate`: e.g. 30 February. */
	| { ok: false; reason: 'notADate' | 'ambiguous' | 'notARealDate' };

// The same separator twice; anything after the date must start with a time (`T` or a space).
const YEAR_FIRST = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:$|[T ])/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$| )/;
const YEAR_LAST = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4})(?:$| )/;

function isRealDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}

function calendarDate(year: number, month: number, day: number): DateReading {
	if (!isRealDate(year, month, day)) return { ok: false, reason: 'notARealDate' };
	return { ok: true, date: `${year}-${pad(month)}-${pad(day)}` };
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
			format = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric' });
		} catch {
			format = undefined;
		}
		calendarFormats.set(timeZone, format);
	}
	return calendarFormats.get(timeZone);
}

/**
 * The day a Date object falls on in a time zone: the date n8n shows for it in a workflow with that
 * zone. Without a zone, or with one this system does not know (n8n stores only zones it knows), UTC.
 */
function dateObjectReading(value: Date, timeZone: string | undefined): DateReading {
	if (Number.isNaN(value.getTime())) return { ok: false, reason: 'notADate' };
	const format = timeZone ? calendarFormat(timeZone) : undefined;
	if (!format) return calendarDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
	const parts = Object.fromEntries(format.formatToParts(value).map((part) => [part.type, part.value]));
	// Years before the common era have no yyyy-MM-dd form.
	if (parts.era !== 'AD') return { ok: false, reason: 'notADate' };
	return calendarDate(Number(parts.year), Number(parts.month), Number(parts.day));
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
	if (isDate(value)) return dateObjectReading(value, timeZone);
	if (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return readDate((value as { toISO: () => unknown }).toISO(), order);
	}
	if (typeof value !== 'string') return { ok: false, reason: 'notADate' };
	const text = value.trim();
	let match = YEAR_FIRST.exec(text);
	if (match) return calendarDate(Number(match[1]), Number(match[3]), Number(match[4]));
	match = DOTTED.exec(text);
	if (match) return calendarDate(Number(match[3]), Number(match[2]), Number(match[1]));
	match = YEAR_LAST.exec(text);
	if (match) {
		if (order === 'ymd') return { ok: false, reason: 'ambiguous' };
		const [first, second, year] = [Number(match[1]), Number(match[3]), Number(match[4])];
		return order === 'dmy' ? calendarDate(year, second, first) : calendarDate(year, first, second);
	}
	return { ok: false, reason: 'notADate' };
}

/** The calendar date of a value as `yyyy-MM-dd`, or undefined when it is not one (see readDate). */
export function toVendorDate(value: unknown, order: DateOrder = 'ymd', timeZone?: string): string | undefined {
	const reading = readDate(value, order, timeZone);
	return reading.ok ? reading.date : undefined;
}
