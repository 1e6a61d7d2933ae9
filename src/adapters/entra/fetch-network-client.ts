import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * MSAL's HTTP client on global fetch: a hard per-request timeout, and in development an origin
 * rewrite so MSAL (which insists on https authorities) can reach the plain-HTTP sandbox IdP.
 */
export class FetchNetworkClient implements INetworkModule {
  constructor(
    private readonly timeoutMs: number,
    private readonly rewrite?: { from: string; to: string },
  ) {}

  resolve(url: string): string {
    if (this.rewrite === undefined || !url.startsWith(this.rewrite.from)) return url;
    return this.rewrite.to + url.slice(this.rewrite.from.length);
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(method: string, url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const response = await fetch(this.resolve(url), {
      method,
      headers: options?.headers ?? {},
      ...(options?.body === undefined ? {} : { body: options.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout ?? this.timeoutMs),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const text = await response.text();
    let body: unknown = {};
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        // Non-JSON bodies (a proxy's HTML error page) carry no protocol meaning; MSAL judges by status.
        body = { error: 'invalid_response', error_description: `HTTP ${response.status}` };
      }
    }
    return { headers, body: body as T, status: response.status };
  }
}
