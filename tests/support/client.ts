export interface GraphQLResponse<T = any> {
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: { code?: string; reason?: string; fields?: { field: string; message: string }[]; [k: string]: unknown } }>;
}

/** A GraphQL-over-HTTP client with a cookie jar, as a browser would hold the session and device cookies. */
export class GraphQLClient {
  private jar = new Map<string, string>();
  constructor(readonly url: string) {}

  /** The Cookie header this client sends (`name=value; …`); setting it replaces the jar. */
  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  set cookie(header: string) {
    this.jar = new Map(header.split(';').flatMap((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 ? [[pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()] as [string, string]] : [];
    }));
  }

  async request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (/=$/.test(pair) || /Expires=Thu, 01 Jan 1970/.test(c)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1).trim());
    }
    return (await res.json()) as GraphQLResponse<T>;
  }

  /** The data, or throws with the first error's code and message. */
  async data<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await this.request<T>(query, variables);
    if (r.errors?.length) {
      const e = r.errors[0];
      throw Object.assign(new Error(`${e.extensions?.code}: ${e.message}`), { code: e.extensions?.code, errors: r.errors });
    }
    return r.data as T;
  }

  /** The first error's code (and the whole error), failing when the call succeeded. */
  async error(query: string, variables: Record<string, unknown> = {}) {
    const r = await this.request(query, variables);
    if (!r.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
    return { code: r.errors[0].extensions?.code, ...r.errors[0] };
  }

  async signIn(email: string, password: string) {
    return this.data(`mutation($input: SignInInput!) { signIn(input: $input) { id roles } }`, { input: { email, password } });
  }
}
