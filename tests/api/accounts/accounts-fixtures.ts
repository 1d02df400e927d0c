import type { ParsedMail } from 'mailparser';
import type { TestApi } from '../../support/api.js';
import { GraphQLClient } from '../../support/client.js';
import { linkIn, type TestSmtp } from '../../support/smtp.js';

export const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) }`;
export const CONFIRM = `mutation($token: String!, $password: String!) { confirmEmail(token: $token, password: $password) { id email } }`;
export const REQUEST_RESET = `mutation($email: String!) { requestPasswordReset(email: $email) }`;
export const RESET = `mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { id } }`;
export const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { id } }`;
export const PASSWORD = 'una-clave-larga-de-prueba-2026';

let n = 0;
export const newAddress = (prefix = 'persona') => `${prefix}.${Date.now()}.${++n}@example.org`;

export const signUpInput = (email: string, extra: Record<string, unknown> = {}) => ({
  input: { name: 'Persona Registrada', email, password: PASSWORD, country: 'PE', language: 'ES', ...extra },
});

/** The raw HTTP answer to a GraphQL call from the network `ip` (X-Forwarded-For, trusted from loopback). */
export async function callFrom(api: TestApi, ip: string, query: string, variables: Record<string, unknown>) {
  const started = performance.now();
  const res = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.text();
  return { status: res.status, body, json: JSON.parse(body) as { data?: Record<string, unknown> | null; errors?: { extensions: { code: string; reason?: string } }[] }, ms: performance.now() - started };
}

/** The token of a confirmation or reset link in a mail. */
export function tokenIn(api: TestApi, mail: ParsedMail, path: '/signup/confirm' | '/reset-password'): string {
  const link = linkIn(mail.text, `${api.app.config.PUBLIC_URL}${path}?token=`);
  return new URL(link).searchParams.get('token')!;
}

/** Signs up `email`, follows the mailed link with the password, and returns the signed-in client. */
export async function registered(api: TestApi, smtp: TestSmtp, email: string, extra: Record<string, unknown> = {}): Promise<GraphQLClient> {
  const client = api.client();
  await client.data(SIGN_UP, signUpInput(email, extra));
  const token = tokenIn(api, await smtp.waitFor(email), '/signup/confirm');
  await client.data(CONFIRM, { token, password: PASSWORD });
  return client;
}

export { GraphQLClient };
