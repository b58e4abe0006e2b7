/**
 * Request parameters (a tenant, a mode, a flag) are fields of the request: read per item by the
 * readers record fields use (schema/values), blank meaning "not given" (the default), checked
 * with messages that name the panel label, the API name and the shape of the value, never the value.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { RequestParameter } from '../../../nodes/shared/engine/adapter';
import { fixedParameterProblem, readRequestParameter, requestParameterReader, secretParameterValues } from '../../../nodes/shared/engine/requestParameters';

const tenant: RequestParameter = { name: 'tenantId', label: 'Tenant ID', description: 'The tenant', type: 'integer', required: true, min: 0 };
const mode: RequestParameter = {
	name: 'mode',
	label: 'Mode',
	description: 'What to do with an existing customer',
	type: 'options',
	options: [
		{ name: 'Replace', value: 0, aliases: ['overwrite'] },
		{ name: 'Merge', value: 1 },
	],
	default: 1,
};
const flag: RequestParameter = { name: 'strict', label: 'Strict Binding', description: 'A flag', type: 'boolean', default: false };
const region: RequestParameter = { name: 'region', label: 'Region Code', description: 'A code', type: 'string', maxLength: 4 };
const key: RequestParameter = { name: 'key', label: 'Key', description: 'A secret', type: 'string', secret: true };

describe('reading one request parameter', () => {
	it.each([null, undefined, '', '   ', [], {}])('reads a blank value (%p) as not given: the default', (blank) => {
		expect(readRequestParameter(blank, mode)).toEqual({ ok: true, value: 1 });
		expect(readRequestParameter(blank, flag)).toEqual({ ok: true, value: false });
		expect(readRequestParameter(blank, region)).toEqual({ ok: true, value: undefined });
		expect(readRequestParameter(blank, tenant)).toEqual({
			ok: false,
			message: "Invalid node parameter: 'Tenant ID' (tenantId) is required",
			problems: [{ field: 'tenantId', rule: 'required', message: "'Tenant ID' (tenantId) is required" }],
		});
	});

	it('reads values as spreadsheets give them: true/false and numbers as text, text trimmed, options by value, name or alias', () => {
		expect(['true', ' TRUE ', 1, '1', true].map((value) => readRequestParameter(value, flag))).toEqual(Array(5).fill({ ok: true, value: true }));
		expect(['false', 'False', 0, '0', false].map((value) => readRequestParameter(value, flag))).toEqual(Array(5).fill({ ok: true, value: false }));
		expect([144, '144', ' 144 ', '1.44e2'].map((value) => readRequestParameter(value, tenant))).toEqual(Array(4).fill({ ok: true, value: 144 }));
		expect([0, '0', ' 0 ', 'replace', 'REPLACE', 'overwrite'].map((value) => readRequestParameter(value, mode))).toEqual(Array(6).fill({ ok: true, value: 0 }));
		expect(readRequestParameter('  eu1 ', region)).toEqual({ ok: true, value: 'eu1' });
	});

	it('names the parameter by its panel label and name and the shape of a bad value, never the value', () => {
		const message = (value: unknown, parameter: RequestParameter) => (readRequestParameter(value, parameter) as { message: string }).message;
		expect(message('yes please', flag)).toBe("Invalid node parameter: 'Strict Binding' (strict) must be true or false (true/false in any case, or 1/0), got text of 10 characters");
		expect(message('tenant-7', tenant)).toBe("Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got text of 8 characters");
		expect(message(-1, tenant)).toBe("Invalid node parameter: 'Tenant ID' (tenantId) must be at least 0, got a number below it");
		expect(message(2, mode)).toBe("Invalid node parameter: 'Mode' (mode) must be one of Replace, Merge, got a number");
		expect(message('europe', region)).toBe("Invalid node parameter: 'Region Code' (region) must be at most 4 characters, got 6");
		expect(readRequestParameter('sometimes', mode)).toMatchObject({ problems: [{ field: 'mode', rule: 'enum' }] });
	});
});

describe('reading the request parameters of each item', () => {
	/** A stand-in for n8n's execute functions: stored parameters, and per-item values (or a throw). */
	function standIn(stored: Record<string, unknown>, values: Record<string, (index: number) => unknown>) {
		const reads: Record<string, number> = {};
		const fn = {
			getNode: () => ({ parameters: stored }),
			getNodeParameter: (name: string, index: number) => {
				reads[name] = (reads[name] ?? 0) + 1;
				return values[name](index);
			},
		} as unknown as IExecuteFunctions;
		return { fn, reads };
	}

	it('reads a fixed parameter once and an expression for every item, each checked', () => {
		const modes = ['2', 'overwrite', '', 'merge'];
		const { fn, reads } = standIn({ tenantId: '144', mode: '={{ $json.mode }}' }, { tenantId: () => '144', mode: (index) => modes[index] });
		const read = requestParameterReader(fn, [tenant, mode]);
		expect(modes.map((_, index) => read(index))).toEqual([
			{ ok: false, error: expect.objectContaining({ code: 'INVALID_RECORD', field: 'mode', message: "Invalid node parameter: 'Mode' (mode) must be one of Replace, Merge, got text of 1 character" }) },
			{ ok: true, values: { tenantId: 144, mode: 0 } },
			{ ok: true, values: { tenantId: 144, mode: 1 } },
			{ ok: true, values: { tenantId: 144, mode: 1 } },
		]);
		expect(reads).toEqual({ tenantId: 1, mode: 4 });
	});

	it('fails only the item whose expression throws, naming the parameter; a bad fixed value fails every item', () => {
		const { fn } = standIn(
			{ tenantId: 'x', strict: '={{ $json.strict.toBoolean() }}' },
			{
				tenantId: () => 'x',
				strict: (index) => {
					if (index === 1) throw new Error('cannot convert to boolean');
					return 'true';
				},
			},
		);
		const readStrict = requestParameterReader(fn, [flag]);
		expect([0, 1, 2].map((index) => readStrict(index))).toEqual([
			{ ok: true, values: { strict: true } },
			{
				ok: false,
				error: { code: 'INVALID_RECORD', retriable: false, mayBeStored: false, field: 'strict', message: "Could not read the node parameter 'Strict Binding': cannot convert to boolean" },
			},
			{ ok: true, values: { strict: true } },
		]);
		const readTenant = requestParameterReader(fn, [tenant]);
		expect([0, 1].map((index) => readTenant(index))).toEqual(
			Array(2).fill({ ok: false, error: expect.objectContaining({ field: 'tenantId', message: "Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got text of 1 character" }) }),
		);
	});

	it('gives every item one frozen values object when no parameter is an expression, and each item its own otherwise', () => {
		const { fn, reads } = standIn({ tenantId: '144', mode: 'merge' }, { tenantId: () => '144', mode: () => 'merge' });
		const read = requestParameterReader(fn, [tenant, mode]);
		const [first, second] = [read(0), read(1)];
		expect(first).toEqual({ ok: true, values: { tenantId: 144, mode: 1 } });
		expect(second).toBe(first);
		expect(Object.isFrozen((first as { values: object }).values)).toBe(true);
		expect(reads).toEqual({ tenantId: 1, mode: 1 });

		const perItem = standIn({ tenantId: '144', mode: '={{ $json.mode }}' }, { tenantId: () => '144', mode: () => 'merge' });
		const readPerItem = requestParameterReader(perItem.fn, [tenant, mode]);
		const [one, two] = [readPerItem(0), readPerItem(1)];
		expect(two).toEqual(one);
		expect((two as { values: object }).values).not.toBe((one as { values: object }).values);
	});

	it('finds a fixed parameter whose value fails every item; an expression is left to each item', () => {
		const { fn } = standIn({ tenantId: 'abc', mode: '={{ $json.mode }}' }, { tenantId: () => 'abc', mode: () => 'nonsense' });
		expect(fixedParameterProblem(fn, [mode, tenant])).toEqual({ parameter: tenant, message: "Invalid node parameter: 'Tenant ID' (tenantId) must be a whole number, got text of 3 characters" });
		const fine = standIn({ tenantId: '12', mode: '={{ $json.mode }}' }, { tenantId: () => '12', mode: () => 'nonsense' });
		expect(fixedParameterProblem(fine.fn, [mode, tenant])).toBeUndefined();
	});

	it('gives the values of the parameters declared secret, for masking', () => {
		expect(secretParameterValues([region, key], { region: 'eu1', key: 'k-123' })).toEqual(['k-123']);
		expect(secretParameterValues([region, key], { region: 'eu1' })).toEqual([]);
	});
});
