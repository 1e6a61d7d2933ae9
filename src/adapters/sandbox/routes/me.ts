import { Hono } from 'hono';
import type { SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { applySelect, parseSelect } from '../odata.js';
import { odataContext } from './route-deps.js';

export function meRoutes(): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/me', (c) => {
    requireScope(c, 'graph', 'User.Read');
    const u = c.get('user');
    const resource = {
      '@odata.context': odataContext(c.req.url, 'users/$entity'),
      businessPhones: [],
      displayName: u.displayName,
      givenName: u.givenName,
      jobTitle: u.jobTitle,
      mail: u.mail,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: 'en-US',
      surname: u.surname,
      userPrincipalName: u.userPrincipalName,
      id: u.id,
    };
    return c.json(applySelect(resource, parseSelect(c.req.query('$select'))));
  });
  return app;
}
