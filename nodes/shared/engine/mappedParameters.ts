import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { isSafeObjectProperty } from 'n8n-workflow';

/**
 * Reads mapped-field parameters ("Map Each Field Below") for every item with as few n8n calls as
 * the result allows. n8n evaluates each expression with a fresh expression context, about 50 µs
 * each, so 10,000 items × 6 fields cost seconds. Most mappings are `{{ $json.field }}`: this
 * reads those straight from the item, and asks n8n for everything else.
 *
 * What n8n returns for a parameter (n8n-core `getNodeParameter`): the stored value (defaults
 * filled in) with every expression leaf resolved, then Luxon DateTimes that are values of object
 * keys turned into strings. A `={{ $json.a.b }}` leaf resolves to the item's value itself, so
 * the fast path gives it exactly when that is plain: the path leads through plain objects' own
 * keys to a string, number, boolean or null — or to a key the last object lacks (n8n: undefined).
 * Anything else (a missing or non-object step, an object or array value, a key inherited from
 * Object.prototype) is handed to n8n for that item. Other expression leaves are evaluated by n8n
 * one leaf at a time; expressions that read sibling parameters (`$parameter`) make n8n evaluate
 * the whole parameter. A parameter is trusted to the fast path only after n8n gave an item's own
 * value for one of its plain leaves (or, without such a leaf, the same value for the whole
 * parameter); test/shared/engine/mappedParameters.test.ts proves the equality against n8n-core
 * itself for every item.
 */

type Plan =
	| { kind: 'constant'; value: unknown }
	/** `parameter`: the leaf's path as n8n's getNodeParameter takes it. */
	| { kind: 'json'; path: string[]; parameter: string }
	| { kind: 'n8n'; path: string; inObject: boolean }
	| { kind: 'object'; entries: Array<[string, Plan]> }
	| { kind: 'array'; items: Plan[] };

/** The item's value is not one the fast path can give: ask n8n for the whole parameter. */
const ASK_N8N = Symbol('askN8n');

const SIMPLE_JSON = /^=\{\{\s*\$json((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\}\}$/;
/** Never plain data; n8n refuses `.constructor`. */
const UNSAFE_KEYS = new Set(['constructor', 'prototype', '__proto__']);

/**
 * Whether n8n's expression sandbox lets `$json.<key>` be read: its refusals (`caller`, `arguments`,
 * `binding` …, "Cannot access … due to security concerns") come from n8n-workflow's own list, asked
 * of the running n8n (an n8n older than that export refuses only the keys above).
 */
function n8nReadsKey(key: string): boolean {
	if (UNSAFE_KEYS.has(key)) return false;
	return typeof isSafeObjectProperty === 'function' ? isSafeObjectProperty(key) : true;
}
const SAFE_KEY = /^[A-Za-z0-9_]+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/** Compiles a stored parameter value; undefined when n8n must evaluate it as a whole. */
function compile(value: unknown, path: string, inObject: boolean): Plan | undefined {
	if (typeof value === 'string') {
		if (!value.startsWith('=')) return { kind: 'constant', value };
		// Sibling parameters are only visible when n8n evaluates the parameter as a whole.
		if (value.includes('$parameter')) return undefined;
		const simple = SIMPLE_JSON.exec(value);
		if (simple) {
			const keys = simple[1].slice(1).split('.');
			if (keys.every(n8nReadsKey)) return { kind: 'json', path: keys, parameter: path };
		}
		return { kind: 'n8n', path, inObject };
	}
	if (value === null || typeof value === 'number' || typeof value === 'boolean') return { kind: 'constant', value };
	if (Array.isArray(value)) {
		const items: Plan[] = [];
		for (const [index, entry] of value.entries()) {
			const plan = compile(entry, `${path}[${index}]`, false);
			if (!plan) return undefined;
			items.push(plan);
		}
		return items.every((item) => item.kind === 'constant') ? { kind: 'constant', value } : { kind: 'array', items };
	}
	if (isPlainObject(value)) {
		const entries: Array<[string, Plan]> = [];
		for (const [key, entry] of Object.entries(value)) {
			if (!SAFE_KEY.test(key)) return undefined;
			const plan = compile(entry, `${path}.${key}`, true);
			if (!plan) return undefined;
			entries.push([key, plan]);
		}
		return entries.every(([, plan]) => plan.kind === 'constant') ? { kind: 'constant', value } : { kind: 'object', entries };
	}
	return undefined;
}

function fromItem(json: unknown, path: string[]): unknown {
	let current = json;
	for (let step = 0; step < path.length; step++) {
		if (!isPlainObject(current)) return ASK_N8N;
		const key = path[step];
		if (!Object.prototype.hasOwnProperty.call(current, key)) {
			// A key the object lacks is undefined to n8n too; an inherited one (toString) is not.
			return step === path.length - 1 && !(key in current) ? undefined : ASK_N8N;
		}
		current = current[key];
	}
	if (current === null || typeof current === 'string' || typeof current === 'boolean' || typeof current === 'number') return current;
	return ASK_N8N;
}

/** Luxon's own test (DateTime.isDateTime), without importing Luxon into node code. */
function isLuxonDateTime(value: unknown): value is { toString(): string } {
	return typeof value === 'object' && value !== null && (value as { isLuxonDateTime?: unknown }).isLuxonDateTime === true;
}

type Ask = (path: string, itemIndex: number) => unknown;

function evaluate(ask: Ask, plan: Plan, json: unknown, itemIndex: number): unknown {
	switch (plan.kind) {
		case 'constant':
			return plan.value;
		case 'json':
			return fromItem(json, plan.path);
		case 'n8n': {
			const value = ask(plan.path, itemIndex);
			// As n8n's cleanupParameterData does to a DateTime held by an object key.
			return plan.inObject && isLuxonDateTime(value) ? value.toString() : value;
		}
		case 'array': {
			const values: unknown[] = [];
			for (const item of plan.items) {
				const value = evaluate(ask, item, json, itemIndex);
				if (value === ASK_N8N) return ASK_N8N;
				values.push(value);
			}
			return values;
		}
		case 'object': {
			const values: IDataObject = {};
			for (const [key, entry] of plan.entries) {
				const value = evaluate(ask, entry, json, itemIndex);
				if (value === ASK_N8N) return ASK_N8N;
				values[key] = value as IDataObject;
			}
			return values;
		}
	}
}

/** The parameter's first plain `{{ $json.… }}` leaf, if it has one. */
function firstJsonLeaf(plan: Plan): Extract<Plan, { kind: 'json' }> | undefined {
	if (plan.kind === 'json') return plan;
	const children = plan.kind === 'object' ? plan.entries.map(([, entry]) => entry) : plan.kind === 'array' ? plan.items : [];
	for (const child of children) {
		const leaf = firstJsonLeaf(child);
		if (leaf) return leaf;
	}
	return undefined;
}

/** Deep equality of parameter values (plain data; anything else counts as different). */
function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((entry, index) => sameValue(entry, b[index]));
	if (isPlainObject(a) && isPlainObject(b)) {
		const keys = Object.keys(a);
		return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameValue(a[key], b[key]));
	}
	return false;
}

export interface MappedParameterReader {
	/** What `getNodeParameter(name, itemIndex, fallback)` returns. */
	read(name: string, itemIndex: number, fallback: unknown): unknown;
	/** How many reads n8n answered (for tests). */
	readonly n8nReads: number;
}

export function mappedParameterReader(fn: IExecuteFunctions, items: INodeExecutionData[]): MappedParameterReader {
	const stored = (fn.getNode().parameters ?? {}) as IDataObject;
	/** null: n8n reads the parameter for every item. */
	const plans = new Map<string, { plan: Plan; trusted: boolean } | null>();
	let n8nReads = 0;
	const ask = (path: string, itemIndex: number, fallback?: unknown) => {
		n8nReads++;
		return fn.getNodeParameter(path, itemIndex, fallback);
	};
	return {
		get n8nReads() {
			return n8nReads;
		},
		read(name, itemIndex, fallback) {
			if (!plans.has(name)) {
				// Only a parameter n8n stores under its own name (n8n fills in defaults): a stand-in
				// context without stored parameters keeps n8n's per-item reads.
				const plan = Object.prototype.hasOwnProperty.call(stored, name) ? compile(stored[name], name, false) : undefined;
				plans.set(name, plan ? { plan, trusted: false } : null);
			}
			const entry = plans.get(name);
			if (!entry) return ask(name, itemIndex, fallback);
			const json = items[itemIndex]?.json;
			if (!entry.trusted) {
				// Trusted once n8n gives the same value as the item for one plain leaf: n8n then compiles
				// that leaf's expression alone, not every expression of the parameter (a one-off cost
				// per run that is large for a collection of many fields).
				const leaf = firstJsonLeaf(entry.plan);
				const fromJson = leaf ? fromItem(json, leaf.path) : ASK_N8N;
				if (leaf && fromJson !== ASK_N8N) {
					if (sameValue(fromJson, ask(leaf.parameter, itemIndex))) entry.trusted = true;
					else {
						plans.set(name, null);
						return ask(name, itemIndex, fallback);
					}
				}
			}
			if (!entry.trusted) {
				// No plain leaf to judge by, or not with this item: the whole parameter both ways; until then n8n answers.
				const expected = ask(name, itemIndex, fallback);
				const value = evaluate(ask, entry.plan, json, itemIndex);
				if (value !== ASK_N8N) {
					if (sameValue(value, expected)) entry.trusted = true;
					else plans.set(name, null);
				}
				return expected;
			}
			const value = evaluate(ask, entry.plan, json, itemIndex);
			return value === ASK_N8N ? ask(name, itemIndex, fallback) : value;
		},
	};
}
