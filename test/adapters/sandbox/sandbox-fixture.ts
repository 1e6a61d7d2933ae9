import { startSandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import type { RunningSandbox, StartSandboxOptions } from '../../../src/adapters/sandbox/sandbox-server.js';
import type { SandboxUser } from '../../../src/adapters/sandbox/sandbox-tenant.js';

/** A started sandbox plus a tiny Graph client for tests. */
export interface SandboxFixture {
  sandbox: RunningSandbox;
  /** Absolute URL for a path ("/v1.0/me") or passes an absolute URL (nextLink) through. */
  url(path: string): string;
  call(user: SandboxUser, path: string, init?: RequestInit & { scopes?: string[] }): Promise<Response>;
  json<T = Record<string, unknown>>(
    user: SandboxUser,
    path: string,
    init?: RequestInit & { scopes?: string[] },
  ): Promise<T>;
}

export async function makeSandbox(options: StartSandboxOptions = {}): Promise<SandboxFixture> {
  const sandbox = await startSandbox(options);
  const url = (path: string): string => (path.startsWith('http') ? path : `${sandbox.url}${path}`);
  const call = (
    user: SandboxUser,
    path: string,
    init: RequestInit & { scopes?: string[] } = {},
  ): Promise<Response> => {
    const { scopes, headers, ...rest } = init;
    return fetch(url(path), {
      redirect: 'manual',
      ...rest,
      headers: {
        authorization: `Bearer ${sandbox.mintToken(user, scopes)}`,
        ...(headers as Record<string, string> | undefined),
      },
    });
  };
  return {
    sandbox,
    url,
    call,
    json: async <T>(
      user: SandboxUser,
      path: string,
      init?: RequestInit & { scopes?: string[] },
    ): Promise<T> => {
      const res = await call(user, path, init);
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}

export interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** Follows nextLinks to the end; returns every item and the number of pages. */
export async function readAllPages<T>(
  fx: SandboxFixture,
  user: SandboxUser,
  firstPath: string,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let next: string | undefined = firstPath;
  let pages = 0;
  while (next) {
    const page: GraphPage<T> = await fx.json<GraphPage<T>>(user, next);
    items.push(...page.value);
    next = page['@odata.nextLink'];
    pages += 1;
    if (pages > 1000) throw new Error('paging does not terminate');
  }
  return { items, pages };
}
