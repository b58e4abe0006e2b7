import type { IDataObject } from 'n8n-workflow';

const SECRET_KEY = /secret|password|token|key|sign|authorization/i;

function secretValues(source: IDataObject, all: boolean): string[] {
	return Object.entries(source)
		.filter(([key, value]) => typeof value === 'string' && value.length >= 4 && (all || SECRET_KEY.test(key)))
		.map(([, value]) => value as string);
}

/**
 * Returns a function that masks every secret of the credential (keys that name a secret) and
 * every session value (tokens) in a text, so that no output, error or log line carries one —
 * even where a vendor echoes a URL with its token in it.
 */
export function secretRedactor(credentials: IDataObject, sessions: () => IDataObject[]): (text: string) => string {
	const fixed = secretValues(credentials, false);
	return (text: string) => {
		let redacted = text;
		for (const secret of [...fixed, ...sessions().flatMap((session) => secretValues(session, true))]) {
			redacted = redacted.split(secret).join('***');
			const encoded = encodeURIComponent(secret);
			if (encoded !== secret) redacted = redacted.split(encoded).join('***');
		}
		return redacted;
	};
}
