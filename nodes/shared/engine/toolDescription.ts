import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

export interface ToolDescriptionSpec {
	/** What one call does, e.g. "Creates one customer in Thulium". */
	does: string;
	/** What a call must supply, in the words a model understands. */
	needs: string;
	operation: 'create' | 'update';
	/** What a successful answer names the customer by, e.g. `"id" (the Thulium customer ID)`. */
	answerCarries: string;
	/** Where this description applies (an operation, an edition). */
	show?: IDisplayOptions['show'];
}

/** The text an agent reads about a tool: what to supply, and how to read the answer. */
export function toolDescriptionText(spec: ToolDescriptionSpec): string {
	const verb = spec.operation === 'update' ? 'updated' : 'created';
	return [
		`${spec.does}. ${spec.needs}`,
		`Answers a JSON list with one object per customer: {"${verb}": true, ${spec.answerCarries}} when it was ${verb}, ` +
			`or {"${verb}": false, "error": {"code", "message", "field", "nextStep", "retriable", "mayBeStored"}} when not.`,
		'error.nextStep says what to do: "fixData" — correct what the message names and call again; ' +
			'"sendAgainLater" — the vendor was unavailable and nothing was stored: the same call may be made again after a pause; ' +
			'"fixSettings" — the credential or a setting of the tool stands in the way: do not call again, report the message; ' +
			'"checkVendorFirst" — with mayBeStored true the customer may exist already: do not call again for it; ' +
			'"none" — do not call again. ' +
			'retriable true says only that calling again cannot create the customer twice, not that it will help.',
	].join(' ');
}

/**
 * The Description of the node as a tool, shown only there (n8n's `@tool` display option). n8n
 * adds a Description of its own to a tool node that has none, saying only "Create many customers
 * in …"; this one tells the agent what it must supply and what the answer means. A user may
 * rewrite it; n8n hands the text to the agent, and the MCP Server Trigger to its clients as the
 * tool's description.
 */
export function toolDescriptionProperty(spec: ToolDescriptionSpec): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: toolDescriptionText(spec),
		required: true,
		typeOptions: { rows: 6 },
		displayOptions: { show: { '@tool': [true], ...spec.show } },
		description: 'What the AI agent or MCP client is told about this tool: what a call must supply and what it answers',
	};
}
