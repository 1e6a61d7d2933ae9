import { z } from 'zod';
import type { WhoAmI } from '../../../domain/use-cases/who-am-i.js';
import { defineTool, type ToolDefinition } from './tool-definition.js';

export interface AuthToolDeps {
  whoAmI: WhoAmI;
}

export function authTools(deps: AuthToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'auth_whoami',
      family: 'auth',
      title: 'Who am I',
      description: 'The signed-in Microsoft 365 user (name, address, tenant) and the scopes this client was granted.',
      input: z.object({}),
      output: z.object({
        profile: z.object({
          id: z.string(),
          displayName: z.string(),
          mail: z.string().optional(),
          userPrincipalName: z.string(),
          jobTitle: z.string().optional(),
          tenantId: z.string(),
        }),
        tenantId: z.string(),
        clientId: z.string(),
        scopes: z.array(z.string()),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      run: ({ caller }) => deps.whoAmI.execute(caller),
    }),
  ];
}
