import { z } from 'zod';
import type { GetAuthStatus } from '../../../domain/use-cases/get-auth-status.js';
import type { LogOut } from '../../../domain/use-cases/log-out.js';
import { defineTool, type ToolDefinition } from './tool-definition.js';

export interface AuthSessionToolDeps {
  getAuthStatus: GetAuthStatus;
  logOut: LogOut;
}

/** auth_status and auth_logout (OAuth mode only): the caller's own sign-in, never a token. */
export function authSessionTools(deps: AuthSessionToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'auth_status',
      family: 'auth',
      title: 'Sign-in status',
      description:
        'Who this client is signed in as (tenant, user object id, subject), the scopes it was granted and whether the ' +
        'Microsoft sign-in is held. Use it to explain permission errors. Never returns tokens.',
      input: z.object({}),
      output: z.object({
        tenantId: z.string(),
        objectId: z.string(),
        subject: z.string(),
        clientId: z.string(),
        scopes: z.array(z.string()),
        accessTokenExpiresAt: z.string().optional(),
        microsoftSignIn: z.object({ stored: z.boolean(), expiresAt: z.string().optional() }),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      run: ({ caller }) => deps.getAuthStatus.execute({ caller }),
    }),
    defineTool({
      name: 'auth_logout',
      family: 'auth',
      title: 'Sign out',
      description:
        'Signs the user out of this server everywhere: revokes every token of every client of this user, ends their ' +
        'sessions and deletes the stored Microsoft sign-in. The next call needs a new sign-in.',
      input: z.object({}),
      output: z.object({ grantsRevoked: z.number(), sessionsDeleted: z.number(), microsoftTokensDeleted: z.boolean() }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      run: ({ caller }) => deps.logOut.execute({ caller }),
    }),
  ];
}
