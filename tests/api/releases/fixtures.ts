import type { TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';

export const RELEASE_FIELDS = `id number sequence final finalAt framework { id status } supersededBy { number } previous { number }
  indicators { code version { id number } }
  changelog { kind code from { id number } to { id number } diff(languages: [ES]) { field changed runs { kind text } }
    steps { version { id number } approvedBy { question { id outcome } ballot { id } } answeredComments { id body } } }`;

export const RELEASE_FRAMEWORK = `mutation($input: ReleaseFrameworkInput!) { releaseFramework(input: $input) { ${RELEASE_FIELDS} } }`;
export const MARK_FINAL = `mutation($id: ID!) { markReleaseFinal(id: $id) { ${RELEASE_FIELDS} } }`;
export const RELEASE = `query($frameworkSlug: String!, $number: String!) { release(frameworkSlug: $frameworkSlug, number: $number) { ${RELEASE_FIELDS} } }`;

/** `GET /exports/releases/:id.:format`, with the client's session cookie. */
export async function downloadRelease(api: TestApi, client: GraphQLClient | null, releaseId: string, format: string, query = '') {
  const res = await fetch(`${api.url}/exports/releases/${releaseId}.${format}${query}`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}
