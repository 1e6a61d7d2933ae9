import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a server-side fetch must never reach outside development (SSRF). Two lists: Node's
 * BlockList matches IPv4 queries against IPv4-mapped IPv6 rules, so one mixed list would block all.
 */
const BLOCKED_V4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED_V4.addSubnet(net, prefix, 'ipv4');
const BLOCKED_V6 = new BlockList();
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) BLOCKED_V6.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:hhhh:hhhh). */
function mappedIpv4(address: string): string | null {
  const match = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (match === null) return null;
  if (match[1] !== undefined) return match[1];
  const hi = parseInt(match[2] ?? '0', 16);
  const lo = parseInt(match[3] ?? '0', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return BLOCKED_V4.check(address, 'ipv4');
  const v4 = mappedIpv4(address);
  return v4 === null ? BLOCKED_V6.check(address, 'ipv6') : BLOCKED_V4.check(v4, 'ipv4');
}

export type GuardedFetchFailure = 'blocked_address' | 'insecure_scheme' | 'too_large' | 'timeout' | 'http_status' | 'redirect' | 'network';

export class GuardedFetchError extends Error {
  constructor(
    readonly reason: GuardedFetchFailure,
    message: string,
  ) {
    super(message);
    this.name = 'GuardedFetchError';
  }
}

export interface GuardedFetchOptions {
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  maxBytes: number;
}

/**
 * GET a small JSON document from an untrusted URL: https only, no redirects, every resolved address
 * checked inside the socket's own DNS lookup (no rebinding between check and connect), a whole-request
 * deadline (slow senders) and a byte cap (oversized documents).
 */
export function guardedFetchText(url: URL, options: GuardedFetchOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    if (!secure && !(options.allowPrivateNetworks && url.protocol === 'http:')) {
      reject(new GuardedFetchError('insecure_scheme', 'Client metadata documents must be served over https.'));
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivateNetworks && isIP(host) !== 0 && isPrivateAddress(host)) {
      reject(new GuardedFetchError('blocked_address', 'Client metadata URL points at a private or loopback address.'));
      return;
    }
    const lookup = (hostname: string, lookupOptions: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
      dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
        if (err) return callback(err, []);
        const list = addresses as LookupAddress[];
        if (!options.allowPrivateNetworks && list.some((a) => isPrivateAddress(a.address))) {
          return callback(Object.assign(new GuardedFetchError('blocked_address', 'Client metadata URL resolves to a private or loopback address.'), { code: 'EBLOCKED' }), []);
        }
        if (lookupOptions.all) return callback(null, list);
        const first = list[0];
        if (first === undefined) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), []);
        return callback(null, first.address, first.family);
      });
    };
    const request = (secure ? https : http).request(url, { method: 'GET', lookup, headers: { accept: 'application/json' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) return fail(new GuardedFetchError('redirect', 'Client metadata documents must not redirect.'));
      if (status !== 200) return fail(new GuardedFetchError('http_status', `Client metadata document answered HTTP ${status}.`));
      const declared = Number(response.headers['content-length'] ?? '0');
      if (declared > options.maxBytes) return fail(new GuardedFetchError('too_large', `Client metadata document exceeds ${options.maxBytes} bytes.`));
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) return fail(new GuardedFetchError('too_large', `Client metadata document exceeds ${options.maxBytes} bytes.`));
        chunks.push(chunk);
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
      response.on('error', (error) => fail(error));
    });
    const deadline = setTimeout(() => fail(new GuardedFetchError('timeout', `Client metadata document took longer than ${options.timeoutMs} ms.`)), options.timeoutMs);
    let settled = false;
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      reject(error instanceof GuardedFetchError ? error : new GuardedFetchError('network', `Client metadata document could not be fetched: ${error.message}`));
    }
    request.on('error', (error) => fail(error));
    request.end();
  });
}
