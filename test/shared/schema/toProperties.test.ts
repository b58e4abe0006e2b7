import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { DustessBatchCustomers } from '../../../nodes/Dustess/DustessBatchCustomers.node';
import { NxCloudBatchCustomers } from '../../../nodes/NxCloud/NxCloudBatchCustomers.node';
import { ThuliumBatchCustomers } from '../../../nodes/Thulium/ThuliumBatchCustomers.node';

import type { RecordSchema } from '../../../nodes/shared/schema/fieldSchema';
import { fromParameterGroup } from '../../../nodes/shared/schema/fromParameters';
import { toProperties } from '../../../nodes/shared/schema/toProperties';

const schema: RecordSchema = {
	fields: [
		{ name: 'surname', label: 'Surname', description: 'The surname', type: 'string', required: true, maxLength: 128 },
		{ name: 'vip', label: 'VIP', description: 'Whether VIP', type: 'boolean' },
		{ name: 'born', label: 'Birthday', description: 'Birthday', type: 'date' },
		{ name: 'email', label: 'Email', description: 'Email', type: 'string', multiple: true },
		{ name: 'tags', label: 'Tags', description: 'Tags', type: 'stringList', sendAs: 'csv' },
		{ name: 'address', label: 'Address', description: 'Address', type: 'object', fields: [{ name: 'city', label: 'City', description: 'City', type: 'string' }] },
		{ name: 'custom', label: 'Custom Fields', description: 'Custom', type: 'keyValue' },
		{ name: 'mobiles', label: 'Contact Methods', description: 'Phones', type: 'objectList', fields: [{ name: 'tel', label: 'Number', description: 'Number', type: 'string' }] },
	],
	rules: [{ type: 'requireOneOf', fields: ['a', 'b'], message: 'Set a or b' }],
};

describe('toProperties', () => {
	const properties = toProperties(schema, { operation: ['create'] });
	const byName = (name: string) => properties.find((property) => property.name === name) as INodeProperties;

	it('puts required fields on their own with the limit in the description, shown for the operation', () => {
		expect(byName('surname')).toMatchObject({
			displayName: 'Surname',
			type: 'string',
			required: true,
			description: 'The surname. At most 128 characters.',
			displayOptions: { show: { operation: ['create'], mappingMode: ['defineBelow'] } },
		});
	});

	it('puts optional fields in Additional Fields, sorted by name, nested ones as fixed collections', () => {
		const additional = byName('additionalFields');
		expect((additional.options as INodeProperties[]).map((option) => option.displayName)).toEqual(['Address', 'Birthday', 'Contact Methods', 'Custom Fields', 'Email', 'Tags', 'VIP']);
		const address = (additional.options as INodeProperties[])[0];
		const birthday = (additional.options as INodeProperties[])[1];
		expect(birthday).toMatchObject({ type: 'dateTime', description: 'Birthday. Sent as yyyy-MM-dd. A date with the year last (05/06/1980) needs Options → Date Order.' });
		expect(address).toMatchObject({ type: 'fixedCollection', typeOptions: { multipleValues: false } });
	});

	it('shows a field with one value or several as a multiple-values text parameter', () => {
		const email = ((byName('additionalFields').options as INodeProperties[]).find((option) => option.name === 'email'))!;
		expect(email).toMatchObject({
			displayName: 'Email',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Email' },
			default: [],
			description: 'Email. One value or several; several are sent as a list.',
		});
	});

	it('reads multiple values back as one flat list (an entry may be an expression giving a list)', () => {
		expect(fromParameterGroup({ email: ['a', ['b', 'c']], tags: [['x', 'y'], 'z'], surname: 'S' }, schema.fields)).toEqual({
			email: ['a', 'b', 'c'],
			tags: ['x', 'y', 'z'],
			surname: 'S',
		});
	});

	it('shows record rules as a notice', () => {
		expect(properties.some((property) => property.type === 'notice' && property.displayName === 'Set a or b')).toBe(true);
	});

	it('reads parameter values back into the API shape', () => {
		expect(
			fromParameterGroup(
				{
					surname: 'A',
					address: { values: { city: 'X' } },
					custom: { entries: [{ name: 'k', value: 'v' }] },
					mobiles: { values: [{ tel: '1' }, { tel: '2' }] },
				},
				schema.fields,
			),
		).toEqual({ surname: 'A', address: { city: 'X' }, custom: { k: 'v' }, mobiles: [{ tel: '1' }, { tel: '2' }] });
	});
});

describe('panel parameters that n8n checks in the editor', () => {
	const nodes = [new NxCloudBatchCustomers(), new DustessBatchCustomers(), new ThuliumBatchCustomers()];
	/** Every parameter of a node, collections and fixed collections included. */
	const everyParameter = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((property) => [
			property,
			...everyParameter(
				(property.options ?? []).flatMap((option) =>
					'values' in option ? (option.values as INodeProperties[]) : 'type' in option ? [option as INodeProperties] : [],
				),
			),
		]);

	it("let every option list take names from mapped input (Male, Keep Existing Data) without n8n's 'value is not supported' warning", () => {
		const optionLists = nodes.flatMap((node) => everyParameter(node.description.properties)).filter((property) => property.type === 'options');
		const fromSchema = optionLists.filter((property) => !['resource', 'operation', 'edition', 'mappingMode', 'dateOrder'].includes(property.name) && !property.typeOptions?.loadOptionsMethod);
		expect(fromSchema.map((property) => property.name)).toEqual(expect.arrayContaining(['gender', 'education', 'mode', 'type', 'file_type']));
		for (const property of fromSchema) expect({ name: property.name, allowArbitraryValues: property.allowArbitraryValues }).toEqual({ name: property.name, allowArbitraryValues: true });
	});

	it('offer Reject Unknown Fields only in Auto-Map mode, where it does something', () => {
		for (const node of nodes) {
			const option = everyParameter(node.description.properties).find((property) => property.name === 'rejectUnknownFields');
			expect(option?.displayOptions).toEqual({ show: { '/mappingMode': ['autoMapInputData'] } });
		}
	});

	it("mark a fixed NXCLOUD Tenant ID that is no number as an issue, leaving expressions and each item's value to the node", () => {
		const node = new NxCloudBatchCustomers();
		const parameters = (tenantId: string) => ({ resource: 'customer', operation: 'create', edition: 'sea', tenantId, mode: 1, mappingMode: 'autoMapInputData' });
		const issues = (tenantId: string) =>
			NodeHelpers.getNodeParametersIssues(node.description.properties, { parameters: parameters(tenantId) } as unknown as INode, node.description)?.parameters;
		expect(issues('abc')).toEqual({ tenantId: ["'tenantId' expects a number but we got 'abc'"] });
		expect(issues('144')).toBeUndefined();
		expect(issues('={{ $json.tenant }}')).toBeUndefined();
		expect(node.description.properties.find((property) => property.name === 'tenantId')).toMatchObject({ validateType: 'number', ignoreValidationDuringExecution: true });
	});
});
