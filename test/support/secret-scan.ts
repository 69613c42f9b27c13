/**
 * Asserts that captured output (stdout, stderr, logs, outputs, error messages) contains none of the
 * secrets a test used, in plain form or in the encodings they leak in: base64 and base64url of the
 * secret itself and of `user:password` pairs (Basic auth headers, Docker config `auth` fields), and
 * percent-encoding (form bodies, URLs).
 */
import { registerSecrets } from './secret-registry';

/** A secret, or a user/password pair whose Basic encoding must not appear either. */
export type SecretSpec = string | { username: string; password: string };

/** Every form in which `secret` must not appear. Secrets under 6 characters are refused (too many false hits). */
export function secretForms(secret: SecretSpec): string[] {
  if (typeof secret !== 'string') {
    const pair = `${secret.username}:${secret.password}`;
    return [...secretForms(secret.password), Buffer.from(pair).toString('base64'), Buffer.from(pair).toString('base64url')];
  }
  if (secret.length < 6) throw new Error(`secret-scan: a secret of ${secret.length} characters is too short to scan for`);
  const b64 = Buffer.from(secret).toString('base64');
  // Without padding: a secret inside a longer base64 text loses its own `=`.
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [...new Set([secret, encodeURIComponent(secret), form, b64, b64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url')])];
}

/** Where a secret was found: which text, which secret (by index, never the value) and which form. */
export interface SecretHit {
  textIndex: number;
  secretIndex: number;
  form: 'plain' | 'encoded';
}

/** Finds secrets in texts; the result names positions only, never the secret. */
export function findSecrets(texts: readonly string[], secrets: readonly SecretSpec[]): SecretHit[] {
  const hits: SecretHit[] = [];
  secrets.forEach((secret, secretIndex) => {
    const forms = secretForms(secret);
    texts.forEach((text, textIndex) => {
      const i = forms.findIndex((f) => text.includes(f));
      if (i >= 0) hits.push({ textIndex, secretIndex, form: i === 0 ? 'plain' : 'encoded' });
    });
  });
  return hits;
}

/**
 * Throws when any text contains any secret. The error says where (text and secret index) but does not
 * print the secret, so a failing test does not leak it either.
 */
export function expectNoSecrets(texts: readonly string[], secrets: readonly SecretSpec[]): void {
  const hits = findSecrets(texts, secrets);
  // The secret harness then also scans everything else the test captured for them.
  registerSecrets('secret given to expectNoSecrets', ...secrets);
  if (hits.length > 0) {
    const where = hits.map((h) => `text #${h.textIndex} holds secret #${h.secretIndex} (${h.form})`).join('; ');
    throw new Error(`secrets leaked into captured output: ${where}`);
  }
}
