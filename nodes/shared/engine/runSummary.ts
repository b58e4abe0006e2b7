import type { NodeExecutionHint } from 'n8n-workflow';

import { plural } from '../schema/validateRecord';
import type { RequestParameter } from './adapter';
import { NO_MATCHING_FIELD } from './autoMapHelp';
import { asClause } from './defaultReading';
import type { FailureDetails, NextStep, Outcome } from './outcomes';
import { nextStepOf, runCause } from './outcomes';
import type { RunControl } from './runControl';

/** The causes the summary names one by one; the others are counted together. */
const SHOWN_CAUSES = 3;


/** What to do about rows, by their `error.nextStep`. */
const ACTIONS: Record<NextStep, string> = {
	sendAgainLater: 'nothing was stored: send again later',
	fixSettings: "fix the node's settings or the credential, then send again",
	fixData: 'fix the data (error.message says what), then send again',
	checkVendorFirst: 'may already be stored: check the vendor before sending again',
	none: 'nothing to send again',
};

/** One reason rows failed: what it is, what to do, and how many rows it concerns. */
interface Cause {
	text: string;
	action: string;
	rows: number;
	mayBeStored: number;
}

/** A validation message without the shape of the row's value, which differs from row to row. */
function withoutShape(message: string): string {
	return message.replace(/, got [^:;]*/, '');
}

function httpAndCode(error: FailureDetails): string {
	const parts = [error.httpStatus !== undefined ? `HTTP ${error.httpStatus}` : '', error.vendorCode !== undefined ? `code ${error.vendorCode}` : ''];
	return parts.filter(Boolean).join(', ');
}

/**
 * The causes of one failed row, each with a key that rows failing the same way share. Texts come
 * from the rows' own messages (already masked, naming fields and shapes, never values) or are
 * fixed; a vendor's words, which may quote a value, stay on the Failure items.
 */
function causesOf(error: FailureDetails, settings: Map<string, string>): Array<{ key: string; text: string | (() => string); action?: string }> {
	const { code } = error;
	const setting = settings.get(error.field ?? '');
	switch (code) {
		case 'INVALID_RECORD': {
			if (error.message.startsWith(NO_MATCHING_FIELD)) {
				return [{ key: code, text: NO_MATCHING_FIELD, action: 'rename the input fields to the API names, or set Mapping Column Mode to Map Each Field Below' }];
			}
			const action = setting ? `fix the node's ${setting}` : undefined;
			if (!error.problems?.length) return [{ key: `${code}|${error.field ?? ''}|${error.message}`, text: asClause(error.message), action }];
			return error.problems.map((problem) => ({
				key: `${code}|${problem.field.replace(/\[\d+\]/g, '[]')}|${problem.rule}`,
				text: () => asClause(withoutShape(problem.message)),
				action,
			}));
		}
		case 'DUPLICATE_IN_INPUT':
			return [{ key: code, text: 'the same customer as an earlier input item, so not sent (Skip Duplicate Rows)' }];
		case 'VENDOR_REJECTED': {
			const details = [httpAndCode(error), error.field ? `field ${error.field}` : ''].filter(Boolean).join(', ');
			return [{ key: `${code}|${details}`, text: `refused by the vendor${details ? ` (${details})` : ''}`, action: "fix the data (error.message has the vendor's words), then send again" }];
		}
		case 'NOT_DELIVERED': {
			const said = asClause(error.message);
			const how = error.httpStatus !== undefined ? `the vendor answered HTTP ${error.httpStatus} to every attempt` : said.charAt(0).toLowerCase() + said.slice(1);
			return [{ key: `${code}|${error.httpStatus ?? error.message}`, text: `not delivered, ${how}` }];
		}
		case 'NOT_SENT':
			return [{ key: code, text: 'not sent, the run stopped before their turn' }];
		case 'CONFIGURATION_ERROR': {
			const details = httpAndCode(error);
			return [{ key: `${code}|${details}`, text: `refused for a reason no row causes${details ? ` (${details})` : ''}` }];
		}
		case 'OUTCOME_UNKNOWN': {
			const after = error.httpStatus !== undefined ? `after HTTP ${error.httpStatus}` : 'without a readable answer (a timeout, a dropped connection or an unreadable reply)';
			return [{ key: `${code}|${error.httpStatus ?? ''}`, text: `outcome unknown ${after}` }];
		}
		case 'NO_RESULT':
			return [{ key: code, text: "the vendor's answer said nothing about them" }];
		case 'RETRIES_EXHAUSTED':
			return [{ key: `${code}|${error.lastCode ?? ''}`, text: `not sent again after as many attempts as Max Retries allows (the last ended as ${error.lastCode ?? 'unknown'})` }];
	}
}

/** The failed rows grouped by cause, the most frequent first. */
function causes(failed: FailureDetails[], settings: RequestParameter[]): Cause[] {
	const labels = new Map(settings.map((setting) => [setting.name, setting.label]));
	const byKey = new Map<string, Cause>();
	for (const error of failed) {
		const seen = new Set<string>();
		for (const { key, text, action } of causesOf(error, labels)) {
			// A row counts once per cause, however many of its fields share it.
			const fullKey = `${error.nextStep ?? ''}|${key}`;
			if (seen.has(fullKey)) continue;
			seen.add(fullKey);
			let cause = byKey.get(fullKey);
			if (!cause) {
				// Texts are built once per cause, not once per row.
				cause = { text: typeof text === 'function' ? text() : text, action: action ?? ACTIONS[error.nextStep ?? nextStepOf(error.code)], rows: 0, mayBeStored: 0 };
				byKey.set(fullKey, cause);
			}
			cause.rows++;
			if (error.mayBeStored) cause.mayBeStored++;
		}
	}
	return [...byKey.values()].sort((a, b) => b.rows - a.rows);
}

/** The leading causes, each as a hint, and how many more there are. */
function causeHints(found: Cause[]): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = found.slice(0, SHOWN_CAUSES).map((cause) => ({
		message: `${plural(cause.rows, 'row')}: ${cause.text} — ${cause.action}.`,
		type: 'warning',
		location: 'outputPane',
	}));
	const more = found.slice(SHOWN_CAUSES);
	if (more.length) {
		hints.push({
			message: `And ${plural(more.length, 'more cause')}: each Failure item says its own in error.message, error.code and error.nextStep.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	return hints;
}

/**
 * What the node tells in the editor after a run: what it did, why rows failed and what to do
 * about them (the leading causes), and what else the user should act on (a fatal cause, rows
 * that may be stored, a batch size the vendor refused, rate limiting). `settings`: the request
 * parameters, so that a cause in one of them names it.
 */
export function runSummary(
	outcomes: Outcome[],
	run: RunControl | undefined,
	verb: string,
	validateOnly: boolean,
	settings: RequestParameter[] = [],
): NodeExecutionHint[] {
	const failed = outcomes.filter((outcome) => !outcome.ok).map((outcome) => (outcome as Extract<Outcome, { ok: false }>).error);
	const succeeded = outcomes.length - failed.length;
	const found = causes(failed, settings);
	if (validateOnly) {
		return [
			{
				message: `Validate Only: ${succeeded} valid, ${failed.length} failed; nothing was sent to the vendor.`,
				type: 'info',
				location: 'outputPane',
			},
			...causeHints(found),
		];
	}
	const stats = run?.stats;
	const activity = stats
		? ` (${[
				plural(stats.requests, 'request'),
				plural(stats.retries, 'retry', 'retries'),
				...(stats.splits ? [`${plural(stats.splits, 'split')} — refused batches halved to find the rows at fault`] : []),
			].join(', ')})`
		: '';
	const hints: NodeExecutionHint[] = [
		{ message: `${succeeded} ${verb}, ${failed.length} failed${activity}.`, type: failed.length ? 'warning' : 'info', location: 'outputPane' },
		...causeHints(found),
	];
	if (run?.fatal) {
		const unsent = failed.filter((error) => error.code === 'NOT_SENT').length;
		hints.push({
			message: `The run stopped: ${asClause(runCause(run.fatal))}.${unsent ? ` ${plural(unsent, 'row was', 'rows were')} not sent (retriable).` : ''}`,
			type: 'danger',
			location: 'outputPane',
		});
	}
	const mayBeStored = failed.filter((error) => error.mayBeStored).length;
	const namedAsStored = found.slice(0, SHOWN_CAUSES).reduce((sum, cause) => sum + cause.mayBeStored, 0);
	if (mayBeStored > namedAsStored) {
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
