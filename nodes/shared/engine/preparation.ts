import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { BatchOperation } from './adapter';
import type { BatchOptions } from './batchOptions';
import type { Outcome } from './outcomes';
import { nextStepOf } from './outcomes';
import { requestParameterReader, secretParameterValues } from './requestParameters';
import { readEarlierOutcome, retriesExhausted } from './reruns';
import type { RunControl } from './runControl';
import type { BatchSource, PendingRecord } from './sendBatches';
import { failure } from './sendBatches';
import { recordReader } from './toRecords';
import { unreadableItemMessage } from './unexpectedErrors';

/** What a natural key is, for a message that says what matched without saying its value. */
const KEY_KINDS: Record<string, string> = { phone: 'phone number', email: 'e-mail address', method: 'contact method' };

function keyKind(key: string): string {
	return KEY_KINDS[key.slice(0, key.indexOf(':'))] ?? 'customer key';
}

/** What one item's request parameters decide (RecordPreparation.groupingOf). */
interface Grouping {
	values: IDataObject;
	/** The batch the item goes into: records with the same parameters share a request. */
	group: string;
	/** The prefix of its natural keys: the same key is the same customer only within one store. */
	keyScope: string;
}

/**
 * How long items are prepared before the vendor's answers get their turn. Long enough that the
 * pauses cost little, short enough that an answer waits no longer than about a millisecond.
 */
const SLICE_MS = 2;

/**
 * Input items → the records to send, in batches: each item mapped and validated, its request
 * parameters read and checked, items this node already tried as often as Max Retries allows and
 * duplicates of earlier rows (Skip Duplicate Rows) left out. Items that fail get their outcome
 * here. A batch holds at most `batchSize` records that share their request parameters, in input
 * order.
 *
 * Items are prepared a slice at a time: the first batch before anything is sent (and with it,
 * whether the node's settings fail every item: no record is valid then, so nothing can be sent
 * before the whole input has been read), the rest in the background while batches are on their
 * way, so that reading and validating hide behind the vendor's round trips.
 */
export class RecordPreparation implements BatchSource {
	/** How many valid records there are so far. */
	validCount = 0;
	/** The request parameters of the first valid record, once there is one. */
	firstParameters: IDataObject | undefined;
	/** Whether a batch was handed out to be sent: from then on, any of its records may be stored. */
	handedOutAny = false;
	/**
	 * The records of the batches handed out whose outcomes are not all written yet, by input index.
	 * A batch leaves once it is settled (`settled`), so that a run holds no more records than its
	 * outcomes keep.
	 */
	readonly unsettled = new Map<number, PendingRecord>();
	private nextItem = 0;
	private matchingNoField = 0;
	private readonly readRecord: ReturnType<typeof recordReader>;
	private readonly readRequestParameters: ReturnType<typeof requestParameterReader>;
	/** Records waiting for their batch to fill, by their request parameters (as JSON). */
	private readonly groups = new Map<string, PendingRecord[]>();
	private readonly ready: PendingRecord[][] = [];
	/** Skip Duplicate Rows: the first row of each natural key, within one store of customers. */
	private readonly firstRow = new Map<string, number>();
	private readonly scope: string[];
	private lastGrouping: Grouping | undefined;
	private waiting: Array<() => void> = [];
	private broken: { error: unknown } | undefined;

	constructor(
		fn: IExecuteFunctions,
		private readonly operation: BatchOperation,
		private readonly items: INodeExecutionData[],
		private readonly options: BatchOptions,
		private readonly outcomes: Outcome[],
		private readonly secrets: Set<string>,
		private readonly batchSize: number,
	) {
		const requestParameters = operation.requestParameters ?? [];
		this.readRecord = recordReader(fn, items, operation.schema, options);
		this.readRequestParameters = requestParameterReader(fn, requestParameters, { dateOrder: options.dateOrder, timeZone: fn.getTimezone() });
		// The same key is the same customer only within one store of customers (a tenant, say).
		this.scope = requestParameters.filter((parameter) => parameter.scopesNaturalKeys).map((parameter) => parameter.name);
	}

	get done(): boolean {
		return this.nextItem >= this.items.length;
	}

	/** Auto-Map found no input key named like an API field in any item (known once every item is read). */
	get noItemMatchesAField(): boolean {
		return this.done && this.matchingNoField === this.items.length;
	}

	/**
	 * The valid records no batch handed out so far, in their batches (every one of them once the
	 * input is prepared): those a run did not send.
	 */
	notHandedOut(): PendingRecord[] {
		return [...this.ready, ...this.groups.values()].flat();
	}

	/** Every outcome of this batch, handed out by `next`, is written. */
	settled(batch: PendingRecord[]): void {
		for (const entry of batch) this.unsettled.delete(entry.index);
	}

	/** Prepares items until a batch is ready to send or the input ends. */
	prepareFirstBatch(): void {
		while (this.ready.length === 0 && !this.done) this.prepareNext();
	}

	prepareAll(): void {
		while (!this.done) this.prepareNext();
	}

	/**
	 * The rest of the input, a slice at a time, letting the vendor's answers in between slices.
	 * It never rejects: an exception (a bug) is handed to whoever asks for the next batch.
	 */
	async prepareInBackground(): Promise<void> {
		try {
			while (!this.done) {
				const until = Date.now() + SLICE_MS;
				do {
					this.prepareNext();
				} while (!this.done && Date.now() < until && (this.waiting.length === 0 || this.ready.length === 0));
				this.wake();
				// A timer's turn lets the vendor's answers in, also once the run stopped: the answers to
				// calls still under way must be read before they time out.
				await sleep(0);
			}
		} catch (error) {
			this.broken = { error };
			this.nextItem = this.items.length;
		}
		this.wake();
	}

	/** The next batch to send, once it is ready; undefined when every record has been handed out or the run stopped. */
	async next(run: RunControl): Promise<PendingRecord[] | undefined> {
		for (;;) {
			if (this.broken) throw this.broken.error;
			// Checked after every wait: a batch handed out counts as being sent (OUTCOME_UNKNOWN should the node break).
			if (run.stopped) return undefined;
			const batch = this.ready.shift();
			if (batch) {
				this.handedOutAny = true;
				for (const entry of batch) this.unsettled.set(entry.index, entry);
				return batch;
			}
			if (this.done) return undefined;
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
	}

	/** Throws what broke the background preparation, if anything did. */
	check(): void {
		if (this.broken) throw this.broken.error;
	}

	private wake(): void {
		const waiting = this.waiting;
		this.waiting = [];
		for (const resolve of waiting) resolve();
	}

	private prepareNext(): void {
		const index = this.nextItem++;
		this.prepareItem(index);
		if (this.done) {
			for (const group of this.groups.values()) this.ready.push(group);
			this.groups.clear();
		}
	}

	private prepareItem(index: number): void {
		const { outcomes } = this;
		const prepared = this.readRecord(index);
		if (!prepared.ok && prepared.matchesNoField) this.matchingNoField++;
		const exhausted = retriesExhausted(readEarlierOutcome(this.items[index].json, this.operation), this.options.maxRetries);
		if (exhausted) {
			outcomes[index] = { ok: false, error: exhausted, ...(prepared.ok ? { record: prepared.record } : {}) };
			return;
		}
		if (!prepared.ok) {
			outcomes[index] = { ok: false, error: prepared.error };
			return;
		}
		let entry: PendingRecord;
		let group: string;
		try {
			const read = this.readRequestParameters(index);
			if (!read.ok) {
				outcomes[index] = { ok: false, record: prepared.record, error: { ...read.error, nextStep: nextStepOf('INVALID_RECORD', 'settings') } };
				return;
			}
			const grouping = this.groupingOf(read.values);
			group = grouping.group;
			entry = { index, record: prepared.record, parameters: read.values };
			if (this.isDuplicate(entry, grouping.keyScope)) return;
		} catch (error) {
			// One item's exception, whatever it is, fails that item only.
			outcomes[index] = { ok: false, record: prepared.record, error: failure('INVALID_RECORD', { message: unreadableItemMessage(error) }, undefined) };
			return;
		}
		this.validCount++;
		this.firstParameters ??= entry.parameters;
		let records = this.groups.get(group);
		if (!records) this.groups.set(group, (records = []));
		records.push(entry);
		if (records.length >= this.batchSize) {
			this.ready.push(records);
			this.groups.delete(group);
		}
	}

	/**
	 * What an item's request parameters decide: the text its batch is grouped by and the prefix of
	 * its natural keys (the parameters that scope them, a store say); their secret values are noted
	 * for masking. Items with the same values object (no parameter is an expression:
	 * requestParameterReader) share the work of the first.
	 */
	private groupingOf(values: IDataObject): Grouping {
		if (values === this.lastGrouping?.values) return this.lastGrouping;
		for (const secret of secretParameterValues(this.operation.requestParameters ?? [], values)) this.secrets.add(secret);
		// A value these texts cannot be made of fails here, for this item only.
		const group = JSON.stringify(values);
		const keyScope = `${JSON.stringify(this.scope.map((name) => values[name] ?? null))}\n`;
		return (this.lastGrouping = { values, group, keyScope });
	}

	/** Skip Duplicate Rows: a customer that an earlier row of the input already carries gets its outcome here. */
	private isDuplicate(entry: PendingRecord, keyScope: string): boolean {
		const { operation } = this;
		if (!this.options.skipDuplicateRows || !operation.naturalKeys) return false;
		const keys = operation.naturalKeys(entry.record);
		const matched = keys.find((key) => this.firstRow.has(keyScope + key));
		if (matched === undefined) {
			for (const key of keys) this.firstRow.set(keyScope + key, entry.index);
			return false;
		}
		const earlier = this.firstRow.get(keyScope + matched)!;
		// Items are numbered as n8n numbers them (pairedItem, $itemIndex, the editor's Item selector).
		const message = `Not sent: input item ${earlier} (counted from 0, as n8n counts items) has the same ${keyKind(matched)} (Skip Duplicate Rows)`;
		this.outcomes[entry.index] = { ok: false, record: entry.record, error: { ...failure('DUPLICATE_IN_INPUT', { message }, undefined), duplicateOf: earlier } };
		return true;
	}
}
