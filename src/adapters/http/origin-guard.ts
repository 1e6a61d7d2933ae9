import type { MiddlewareHandler } from 'hono';

export interface OriginPolicy {
  /** Host names (no port) accepted in the `Host` header, e.g. the load balancer's DNS names. */
  allowedHosts: readonly string[];
  /** Exact origins (`https://app.example.com`) accepted in the `Origin` header. */
  allowedOrigins: readonly string[];
  /** Accept loopback hosts and origins on any port (local clients, the MCP Inspector). */
  allowLoopback: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * DNS-rebinding protection: a browser tricked into calling us under a foreign name carries that
 * name in `Host` and its page's `Origin`; both must be ours. Requests without `Origin` (non-browser
 * clients) pass the origin check.
 */
export function originGuard(policy: OriginPolicy): MiddlewareHandler {
  const hosts = new Set(policy.allowedHosts.map((h) => h.toLowerCase()));
  const origins = new Set(policy.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  return async (c, next) => {
    const host = hostName(c.req.header('host'));
    if (!host || !(hosts.has(host) || (policy.allowLoopback && LOOPBACK.has(host)))) {
      return c.json({ error: { category: 'forbidden', code: 'http.hostNotAllowed', message: 'Host not allowed' } }, 403);
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && !originAllowed(origin.toLowerCase(), origins, policy.allowLoopback)) {
      return c.json({ error: { category: 'forbidden', code: 'http.originNotAllowed', message: 'Origin not allowed' } }, 403);
    }
    await next();
  };
}

function hostName(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function originAllowed(origin: string, origins: Set<string>, allowLoopback: boolean): boolean {
  if (origins.has(origin)) return true;
  if (!allowLoopback) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.has(url.hostname);
  } catch {
    return false;
  }
}
