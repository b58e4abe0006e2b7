import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * The delivery rules of issue 8, checked on a node's two outputs and on what the vendor stored
 * (`timesStored`: input index → how often the sandbox holds that customer):
 * - every input item is on exactly one output, paired with it, in input order, with its fields
 *   (each test input carries its index as `row`);
 * - no customer is stored twice; every Success customer is stored exactly once;
 * - a Failure item with `retriable: true` is not stored; a stored Failure item has `mayBeStored: true`.
 */
export function checkDeliveryRules(count: number, success: INodeExecutionData[], failure: INodeExecutionData[], timesStored: Map<number, number>): void {
	const indexOf = (item: INodeExecutionData) => (item.pairedItem as { item: number }).item;
	const ascending = (indexes: number[]) => [...indexes].sort((a, b) => a - b);

	expect(success.map(indexOf)).toEqual(ascending(success.map(indexOf)));
	expect(failure.map(indexOf)).toEqual(ascending(failure.map(indexOf)));
	expect(ascending([...success, ...failure].map(indexOf))).toEqual(Array.from({ length: count }, (_, index) => index));
	expect([...success, ...failure].filter((item) => item.json.row !== indexOf(item)).map(indexOf)).toEqual([]);

	expect([...timesStored.entries()].filter(([, times]) => times > 1)).toEqual([]);
	expect(success.filter((item) => timesStored.get(indexOf(item)) !== 1).map(indexOf)).toEqual([]);
	const broken = failure.flatMap((item) => {
		const error = item.json.error as IDataObject;
		const stored = timesStored.get(indexOf(item)) ?? 0;
		if (error.retriable === true && stored > 0) return [{ index: indexOf(item), code: error.code, rule: 'retriable but stored' }];
		if (stored > 0 && error.mayBeStored !== true) return [{ index: indexOf(item), code: error.code, rule: 'stored but mayBeStored is not true' }];
		return [];
	});
	expect(broken).toEqual([]);
}

/** Input index → how many times the store holds it. */
export function countStored(indexes: Array<number | undefined>): Map<number, number> {
	const times = new Map<number, number>();
	for (const index of indexes) if (index !== undefined) times.set(index, (times.get(index) ?? 0) + 1);
	return times;
}
