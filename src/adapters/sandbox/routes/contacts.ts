import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { badRequest, notFound } from '../graph-errors.js';
import { exchangeId } from '../ids.js';
import { applySelect, decodeSkipToken, encodeSkipToken, nextLink, parseSelect, parseTop } from '../odata.js';
import { createPrng, hashToUint32 } from '../prng.js';
import type { SandboxUser } from '../sandbox-tenant.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';
import { readJsonBody, OUTLOOK_BODY_ERRORS } from './json-body.js';

/** Outlook contacts (`/me/contacts`) and relevant people (`/me/people`), seeded per user on first use. */

interface StoredContact {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  emailAddresses: Array<{ name: string; address: string }>;
  mobilePhone: string | null;
  businessPhones: string[];
  companyName: string | null;
  jobTitle: string | null;
}

const GIVEN = ['Ana', 'Bruno', 'Chen', 'Dara', 'Elif', 'Femi', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Noor', 'Omar', 'Priya'];
const SURNAMES = ['Alvarez', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez'];
const COMPANIES = ['Litware', 'Northwind Traders', 'Tailspin Toys', 'Woodgrove Bank', 'Adventure Works'];
const TITLES = ['Account Manager', 'Buyer', 'Consultant', 'Engineer', 'Director of Sales', 'Designer'];
export const SEEDED_EXTERNAL_CONTACTS = 24;

const contactSchema = z.object({
  givenName: z.string().optional(),
  surname: z.string().optional(),
  displayName: z.string().optional(),
  emailAddresses: z.array(z.object({ address: z.string(), name: z.string().optional() })).max(3).optional(),
  mobilePhone: z.string().nullable().optional(),
  businessPhones: z.array(z.string()).max(2).optional(),
  companyName: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
});
const FILTER_TERM = /^startswith\((displayName|givenName|surname),'((?:[^']|'')*)'\)$/;

/** `startswith(f,'v') or ...` (the subset this gateway sends); anything else is a 400 like Graph's parser. */
function parseFilter(raw: string | undefined): ((c: StoredContact) => boolean) | undefined {
  if (raw === undefined) return undefined;
  const terms = raw.split(/\s+or\s+/).map((t) => FILTER_TERM.exec(t.trim()));
  if (terms.some((t) => t === null)) throw badRequest('BadRequest', `Invalid filter clause: ${raw.slice(0, 80)}`);
  return (c) => terms.some((t) => String(c[t![1] as 'displayName']).toLowerCase().startsWith(t![2]!.replace(/''/g, "'").toLowerCase()));
}

function displayName(c: Pick<StoredContact, 'givenName' | 'surname'>): string {
  return `${c.givenName} ${c.surname}`.trim();
}

export function contactsRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const books = new Map<string, StoredContact[]>();
  let created = 0;

  const colleagues = (user: SandboxUser): SandboxUser[] => deps.tenant.users.filter((u) => u.tenantId === user.tenantId && u.id !== user.id);
  const bookOf = (user: SandboxUser): StoredContact[] => {
    let book = books.get(user.id);
    if (book) return book;
    const prng = createPrng(hashToUint32(deps.tenant.seed, 'contacts', user.id));
    book = colleagues(user).map((u, i) => ({
      id: exchangeId('contact', user.id, 'colleague', i),
      displayName: u.displayName,
      givenName: u.givenName,
      surname: u.surname,
      emailAddresses: [{ name: u.displayName, address: u.mail }],
      mobilePhone: null,
      businessPhones: [`+1 425 555 ${String(100 + i).padStart(4, '0')}`],
      companyName: null,
      jobTitle: u.jobTitle,
    }));
    for (let i = 0; i < SEEDED_EXTERNAL_CONTACTS; i++) {
      const givenName = GIVEN[i % GIVEN.length]!;
      const surname = prng.pick(SURNAMES);
      const company = prng.pick(COMPANIES);
      const address = `${givenName}.${surname}@${company.split(' ')[0]!.toLowerCase()}.example`.toLowerCase();
      book.push({
        id: exchangeId('contact', user.id, 'external', i),
        displayName: displayName({ givenName, surname }),
        givenName,
        surname,
        emailAddresses: [{ name: `${givenName} ${surname}`, address }],
        mobilePhone: prng.chance(0.5) ? `+44 7700 9${String(prng.int(0, 99999)).padStart(5, '0')}` : null,
        businessPhones: [],
        companyName: company,
        jobTitle: prng.pick(TITLES),
      });
    }
    books.set(user.id, book);
    return book;
  };
  const json = (c: SandboxContext, contact: StoredContact): Record<string, unknown> =>
    applySelect({ '@odata.etag': `W/"${contact.id.slice(-8)}"`, ...contact }, parseSelect(c.req.query('$select')));
  const contactOf = (c: SandboxContext): StoredContact => {
    const found = bookOf(c.get('user')).find((x) => x.id === c.req.param('id'));
    if (!found) throw notFound('exchange');
    return found;
  };
  const apply = (contact: StoredContact, body: z.infer<typeof contactSchema>): void => {
    const { emailAddresses, ...rest } = body;
    Object.assign(contact, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (emailAddresses) contact.emailAddresses = emailAddresses.map((e) => ({ address: e.address, name: e.name ?? e.address }));
    if (body.displayName === undefined && (body.givenName !== undefined || body.surname !== undefined)) contact.displayName = displayName(contact);
  };

  app.get('/me/contacts', (c) => {
    requireScope(c, 'exchange', 'Contacts.Read');
    const user = c.get('user');
    const orderby = c.req.query('$orderby');
    if (orderby !== undefined && orderby !== 'displayName') throw badRequest('BadRequest', `Unsupported $orderby: ${orderby}`);
    const top = parseTop(c.req.query('$top'), 10, 1000);
    const filter = parseFilter(c.req.query('$filter'));
    const after = decodeSkipToken(c.req.query('$skiptoken'));
    const key = (x: StoredContact): string => `${x.displayName.toLowerCase()}\u0000${x.id}`;
    const all = bookOf(user)
      .filter((x) => !filter || filter(x))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1))
      .filter((x) => typeof after?.[0] !== 'string' || key(x) > after[0]);
    const page = all.slice(0, top);
    const body: Record<string, unknown> = { '@odata.context': odataContext(c.req.url, `users('${user.id}')/contacts`), value: page.map((x) => json(c, x)) };
    const last = page[page.length - 1];
    if (all.length > top && last) body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([key(last)]));
    return c.json(body);
  });

  app.get('/me/contacts/:id', (c) => {
    requireScope(c, 'exchange', 'Contacts.Read');
    return c.json(json(c, contactOf(c)));
  });

  app.post('/me/contacts', async (c) => {
    requireScope(c, 'exchange', 'Contacts.ReadWrite');
    const body = await readJsonBody(c, contactSchema, OUTLOOK_BODY_ERRORS);
    const contact: StoredContact = {
      id: exchangeId(deps.tenant.seed, 'contact', 'runtime', ++created),
      displayName: '',
      givenName: '',
      surname: '',
      emailAddresses: [],
      mobilePhone: null,
      businessPhones: [],
      companyName: null,
      jobTitle: null,
    };
    apply(contact, body);
    if (contact.displayName === '') contact.displayName = contact.emailAddresses[0]?.address ?? '';
    bookOf(c.get('user')).push(contact);
    return c.json(json(c, contact), 201);
  });

  app.patch('/me/contacts/:id', async (c) => {
    requireScope(c, 'exchange', 'Contacts.ReadWrite');
    const contact = contactOf(c);
    apply(contact, await readJsonBody(c, contactSchema, OUTLOOK_BODY_ERRORS));
    return c.json(json(c, contact));
  });

  app.get('/me/people', (c) => {
    requireScope(c, 'graph', 'People.Read');
    const user = c.get('user');
    const top = parseTop(c.req.query('$top'), 10, 1000);
    const search = c.req.query('$search');
    const m = search === undefined ? null : /^"(.*)"$/.exec(search);
    if (search !== undefined && !m) throw badRequest('BadRequest', 'Invalid $search: expected a quoted string.');
    const q = m?.[1]?.toLowerCase();
    const people = [
      ...colleagues(user).map((u) => ({ displayName: u.displayName, mail: u.mail, jobTitle: u.jobTitle, companyName: null as string | null, department: 'Sales & Marketing' })),
      ...bookOf(user).filter((x) => x.companyName !== null).slice(0, 8).map((x) => ({ displayName: x.displayName, mail: x.emailAddresses[0]?.address ?? '', jobTitle: x.jobTitle, companyName: x.companyName, department: null })),
    ]
      .map((p) => ({ ...p, score: hashToUint32(deps.tenant.seed, 'people', user.id, p.mail) }))
      .sort((a, b) => b.score - a.score)
      .filter((p) => q === undefined || p.displayName.toLowerCase().split(' ').some((w) => w.startsWith(q)) || p.mail.startsWith(q));
    const select = parseSelect(c.req.query('$select'));
    const value = people.slice(0, top).map((p, i) =>
      applySelect(
        { id: exchangeId('person', user.id, p.mail), displayName: p.displayName, scoredEmailAddresses: [{ address: p.mail, relevanceScore: 20 - i }], jobTitle: p.jobTitle, companyName: p.companyName, department: p.department },
        select,
      ),
    );
    return c.json({ '@odata.context': odataContext(c.req.url, `users('${user.id}')/people`), value });
  });

  return app;
}
