import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { hasAnyScope } from './access-token.js';
import type { SandboxAccessClaims } from './access-token.js';
import { accessDenied } from './graph-errors.js';
import type { ErrorFlavor } from './graph-errors.js';
import type { SandboxUser } from './sandbox-tenant.js';

/** Hono environment of the sandbox app. Node bindings are absent when the app is driven by `app.request()`. */
export interface SandboxEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    requestId: string;
    clientRequestId: string | undefined;
    claims: SandboxAccessClaims;
    user: SandboxUser;
  };
}

export type SandboxContext = Context<SandboxEnv>;

/** 403 in the endpoint family's own error spelling when the token lacks every one of `scopes`. */
export function requireScope(c: SandboxContext, flavor: ErrorFlavor, ...scopes: string[]): void {
  if (!hasAnyScope(c.get('claims').scopes, scopes)) throw accessDenied(flavor);
}
