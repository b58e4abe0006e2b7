const DATE_AT_START = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T ])/;

function isRealDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}

/**
 * The calendar date of a value as `yyyy-MM-dd`, or undefined when it is not a date.
 * Accepts `yyyy-MM-dd` (also with `/` or `.`), ISO date-times (the date as written, so an
 * upstream time zone never shifts a birthday), Date objects and Luxon DateTimes from expressions.
 * Ambiguous forms such as `04/12/1976` are refused rather than guessed.
 */
export function toVendorDate(value: unknown): string | undefined {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) return undefined;
		return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
	}
	if (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return toVendorDate((value as { toISO: () => string }).toISO());
	}
	if (typeof value !== 'string') return undefined;
	const match = DATE_AT_START.exec(value.trim());
	if (!match) return undefined;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (!isRealDate(year, month, day)) return undefined;
	return `${year}-${pad(month)}-${pad(day)}`;
}
