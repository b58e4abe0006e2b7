import type { NodeExecutionHint } from 'n8n-workflow';

import type { Outcome } from './outcomes';
import { runCause } from './outcomes';
import type { RunControl } from './runControl';

function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

/**
 * What the node tells in the editor after a run: what it did, and what the user should act on
 * (a fatal cause, rows that may be stored, a batch size the vendor refused).
 */
export function runSummary(outcomes: Outcome[], run: RunControl | undefined, verb: string, validateOnly: boolean): NodeExecutionHint[] {
	const failed = outcomes.filter((outcome) => !outcome.ok) as Array<Extract<Outcome, { ok: false }>>;
	const succeeded = outcomes.length - failed.length;
	if (validateOnly) {
		return [
			{
				message: `Validate Only: ${succeeded} valid, ${failed.length} failed; nothing was sent to the vendor.`,
				type: 'info',
				location: 'outputPane',
			},
		];
	}
	const stats = run?.stats;
	const activity = stats
		? ` (${[plural(stats.requests, 'request'), plural(stats.retries, 'retry', 'retries'), plural(stats.splits, 'split')].join(', ')})`
		: '';
	const hints: NodeExecutionHint[] = [
		{ message: `${succeeded} ${verb}, ${failed.length} failed${activity}.`, type: failed.length ? 'warning' : 'info', location: 'outputPane' },
	];
	if (run?.fatal) {
		const unsent = failed.filter((outcome) => outcome.error.code === 'NOT_SENT').length;
		hints.push({
			message: `The run stopped: ${runCause(run.fatal)}.${unsent ? ` ${plural(unsent, 'row was', 'rows were')} not sent (retriable).` : ''}`,
			type: 'danger',
			location: 'outputPane',
		});
	}
	const mayBeStored = failed.filter((outcome) => outcome.error.mayBeStored).length;
	if (mayBeStored) {
		hints.push({
			message: `${plural(mayBeStored, 'failed row', 'failed rows')} may already be stored (mayBeStored): check before sending them again.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (stats?.acceptedAfterSplit) {
		hints.push({
			message: `The vendor refused ${plural(stats.acceptedAfterSplit, 'batch', 'batches')} as a whole and took the halves: lower the Batch Size option.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (stats?.rateLimited) {
		hints.push({
			message: `The vendor answered "too many requests" ${plural(stats.rateLimited, 'time')}: set Max Requests Per Second to stay inside its limit.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	return hints;
}
