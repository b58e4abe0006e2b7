/** Median with min and max of a few measurements. */
export interface Summary {
	median: number;
	min: number;
	max: number;
	n: number;
}

/** NaN values (failed runs) are left out. */
export function summarise(measured: number[]): Summary {
	const values = measured.filter((value) => !Number.isNaN(value));
	if (values.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}
