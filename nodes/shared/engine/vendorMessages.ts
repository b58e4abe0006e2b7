import { fieldName } from '../schema/fieldNames';
import type { BatchOperation, VendorError } from './adapter';

/**
 * A vendor's words about a request, in the user's terms: each reference to a record by its
 * position in the request (NXCLOUD's `customers[3].email`, see `recordReference`) becomes the
 * input item that record came from, with the field as the panel names it (`input item 41,
 * 'Email' (email)`). Where the reference names the record the error is reported for
 * (`position`) and a field, that field becomes the error's `field`.
 */
export function inInputTerms(
	error: VendorError,
	operation: Pick<BatchOperation, 'recordReference' | 'schema'>,
	/** The records of the request, in its order, by the input items they came from. */
	request: Array<{ index: number }>,
	position: number,
): VendorError {
	const reference = operation.recordReference;
	if (!reference || !error.message) return error;
	let field = error.field;
	const message = error.message.replace(reference, (whole: string, at: string, named?: string) => {
		const item = request[Number(at)]?.index;
		if (item === undefined) return whole;
		if (named && Number(at) === position) field ??= named;
		return `input item ${item}${named ? `, ${fieldName(operation.schema.fields, named)}` : ''}`;
	});
	return message === error.message ? error : { ...error, message, ...(field !== undefined ? { field } : {}) };
}
