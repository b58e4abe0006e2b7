/**
 * Exceptions nobody foresaw (a bug, a stack overflow, an option n8n cannot evaluate). Under
 * *On Error → Continue* n8n passes the input rows of a node that throws on to its first output,
 * Success, unsent: so the engine catches them and fails the rows they concern.
 */

/**
 * What went wrong, in words that hold no customer data: an error's own message may quote the
 * value it choked on, so only n8n's words about an expression of the node's parameters are kept.
 */
export function unexpectedCause(error: unknown): string {
	if (error instanceof RangeError && /call stack/i.test(error.message)) return 'a value is nested too deeply to read (stack overflow)';
	// n8n's ExpressionError and its kinds (ExpressionExtensionError for `"ten".toNumber()`, …).
	if (error instanceof Error && /^Expression\w*Error$/.test(error.name)) return `an expression failed: ${error.message}`;
	return `an unexpected ${error instanceof Error ? error.name : 'error'}`;
}

/** The message of an item that an unexpected exception kept from being read. */
export function unreadableItemMessage(error: unknown): string {
	return `The customer could not be read: ${unexpectedCause(error)}. It was not sent`;
}
