import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IRun } from 'n8n-workflow';

import type { N8nInstance } from '../n8n/harness';

export interface MeasuredRun {
	/** The run data, items shallowed (nested objects replaced by markers; counts and times kept). */
	run: IRun;
	/** Wall time of the n8n process, start-up to exit. */
	wallMs: number;
}

/**
 * Runs one workflow in its own `n8n execute-batch` process and reads the run data from its
 * snapshot file. Not `n8n execute`: that prints the run data to stdout and exits, and with
 * 100,000 items the pipe loses the tail of it. `--shallow` keeps the snapshot small.
 */
export async function executeMeasured(n8n: N8nInstance, workflowId: string): Promise<MeasuredRun> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-run-'));
	try {
		const summaryFile = path.join(dir, 'summary.json');
		const result = await n8n.run(['execute-batch', `--ids=${workflowId}`, `--snapshot=${dir}`, `--output=${summaryFile}`, '--retries=0', '--shallow']);
		const snapshot = path.join(dir, `${workflowId}-snapshot.json`);
		if (!fs.existsSync(snapshot)) {
			const summary = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8').slice(0, 2000) : '(no summary)';
			throw new Error(`workflow ${workflowId} did not succeed (exit ${result.code}, ${result.durationMs} ms): ${summary}\n${result.stderr.slice(-2000)}`);
		}
		return { run: JSON.parse(fs.readFileSync(snapshot, 'utf8')) as IRun, wallMs: result.durationMs };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
