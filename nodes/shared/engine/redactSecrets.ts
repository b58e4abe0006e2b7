import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject } from 'n8n-workflow';

/** Secrets that travel in a recognisable form even where their exact value is not known here. */
const SECRET_SHAPES: RegExp[] = [
	// A Basic Authorization value (base64 of login:password).
	/(\bBasic\s+)[A-Za-z0-9+/]{4,}={0,2}/g,
	// A request signature such as NXCLOUD's `sign` header (32 hex digits).
	/(\bsign["']?\s*[:=]\s*["']?)[0-9a-f]{32}/gi,
	// A token or key carried in a URL (Dustess's `?accessToken=`, NXCLOUD's `?app_key=`).
	/((?:accessToken|app_key)=)[^&\s"'#]+/gi,
];

/** The values of a credential's password-typed fields, also trimmed (as a request may carry them). */
export function passwordValues(type: ICredentialType, credentials: ICredentialDataDecryptedObject): string[] {
	const values = type.properties
		.filter((property) => property.typeOptions?.password === true)
		.map((property) => credentials[property.name])
		.filter((value): value is string => typeof value === 'string');
	return [...new Set(values.flatMap((value) => [value, value.trim()]))].filter((value) => value !== '');
}

function stringValues(source: IDataObject): string[] {
	return Object.values(source).filter((value): value is string => typeof value === 'string' && value !== '');
}

/**
 * Returns a function that masks, in a text, every given secret (credential secrets, secret node
 * parameters, derived values such as a Basic header) and every current or replaced session value
 * (tokens), longest first so that a secret containing another is masked whole; then the shapes of
 * secrets whose value is never seen here (a signature computed by the credential). `secrets` is
 * read at every call, so a set that grows while a run reads its items is masked whole.
 */
export function secretRedactor(secrets: Iterable<string>, sessions: () => IDataObject[]): (text: string) => string {
	return (text: string) => {
		const values = [...secrets, ...sessions().flatMap(stringValues)];
		const forms = new Set<string>();
		for (const value of values) {
			forms.add(value);
			forms.add(encodeURIComponent(value));
			// As a JSON text writes it (a vendor that quotes the request body): `"` and `\` escaped.
			forms.add(JSON.stringify(value).slice(1, -1));
		}
		let redacted = text;
		for (const form of [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length)) {
			if (redacted.includes(form)) redacted = redacted.split(form).join('***');
		}
		for (const shape of SECRET_SHAPES) redacted = redacted.replace(shape, '$1***');
		return redacted;
	};
}
