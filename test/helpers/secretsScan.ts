/**
 * One scan for secrets over everything a run shows or keeps: output items, the error n8n records
 * (message, description, `node` with its parameters, the cause chain — every own property, also
 * the non-enumerable ones such as `message` and `stack`), execution hints, the whole execution
 * data, what n8n's logger was asked to write, and load-options answers. A secret counts as leaked
 * in any form a request may carry it: as it is, URL-encoded, trimmed, or JSON-escaped (a vendor
 * that quotes the request body writes `"` and `\` escaped).
 */
import type { LogLine, WorkflowRun } from './n8nWorkflow';

/** Something a user or an operator can see: where, and what. */
export interface Exposure {
	where: string;
	value: unknown;
}

/**
 * All the text in a value: strings, numbers and keys of objects, arrays, Maps and Sets, and every
 * own property of an object (Errors included, with their prototype's `name`), cycles cut.
 */
export function allText(value: unknown, seen = new Set<unknown>()): string {
	if (typeof value === 'string') return value;
	if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (typeof value === 'function' || typeof value === 'symbol') return '';
	if (seen.has(value)) return '';
	seen.add(value);
	const parts: string[] = [];
	if (value instanceof Error) parts.push(value.name);
	if (value instanceof Map || value instanceof Set) {
		for (const entry of value instanceof Map ? [...value.entries()].flat() : [...value]) parts.push(allText(entry, seen));
		return parts.join('\n');
	}
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
	for (const key of Object.getOwnPropertyNames(value)) {
		let entry: unknown;
		try {
			entry = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		parts.push(`${key}: ${allText(entry, seen)}`);
	}
	return parts.join('\n');
}

/** The forms of a secret to look for: as given, trimmed, URL-encoded and JSON-escaped. */
export function secretForms(secrets: string[]): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		for (const form of [secret, secret.trim()]) {
			if (form === '') continue;
			forms.add(form);
			forms.add(encodeURIComponent(form));
			forms.add(JSON.stringify(form).slice(1, -1));
		}
	}
	return [...forms];
}

/** Where each secret shows, as `where: abc…` (never the whole secret); [] when none does. */
export function secretLeaks(exposures: Exposure[], secrets: string[]): string[] {
	const forms = secretForms(secrets);
	const leaks: string[] = [];
	for (const { where, value } of exposures) {
		const text = allText(value);
		for (const form of forms) if (text.includes(form)) leaks.push(`${where}: ${form.slice(0, 3)}…`);
	}
	return leaks;
}

/** What a workflow run exposes: outputs, error, hints, execution data and log lines. */
export function runExposures(run: WorkflowRun, name = 'run'): Exposure[] {
	return [
		{ where: `${name}: output items`, value: run.outputs },
		{ where: `${name}: error`, value: run.error },
		{ where: `${name}: node's task error`, value: run.task?.error },
		{ where: `${name}: execution hints`, value: run.hints },
		{ where: `${name}: execution data`, value: run.run },
		{ where: `${name}: log lines`, value: run.logs },
	];
}

/** What a load-options call exposes: its answer (options or error) and the log lines during it. */
export function loadOptionsExposures(answer: { value?: unknown; error?: unknown }, logs: LogLine[], name = 'load options'): Exposure[] {
	return [
		{ where: `${name}: answer`, value: answer.value },
		{ where: `${name}: error`, value: answer.error },
		{ where: `${name}: log lines`, value: logs },
	];
}
