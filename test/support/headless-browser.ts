/** A minimal cookie-carrying user agent that walks redirects step by step (fetch has no cookie jar). */
export class HeadlessBrowser {
  readonly cookies = new Map<string, string>();

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair !== undefined && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  async get(url: string, withCookies = true): Promise<Response> {
    const response = await fetch(url, { redirect: 'manual', headers: withCookies ? { cookie: this.cookieHeader() } : {} });
    this.remember(response);
    return response;
  }

  async postForm(url: string, form: Record<string, string>, withCookies = true): Promise<Response> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withCookies ? { cookie: this.cookieHeader() } : {}) },
      body: new URLSearchParams(form),
    });
    this.remember(response);
    return response;
  }
}

export function location(response: Response): string {
  const value = response.headers.get('location');
  if (value === null) throw new Error(`expected a redirect, got ${response.status}`);
  return value;
}

/** Pulls the hidden inputs out of our consent page. */
export function consentFields(page: string): { request: string; csrf: string } {
  const request = /name="request" value="([^"]+)"/.exec(page)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (request === undefined || csrf === undefined) throw new Error('not a consent page');
  return { request, csrf };
}
