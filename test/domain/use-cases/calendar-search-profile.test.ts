import { describe, expect, it } from 'vitest';

import { InMemoryCalendarGateway } from '../../../src/adapters/memory/in-memory-calendar-gateway.js';
import { InMemoryProfileGateway } from '../../../src/adapters/memory/in-memory-profile-gateway.js';
import { InMemorySearchGateway } from '../../../src/adapters/memory/in-memory-search-gateway.js';
import { ListEvents } from '../../../src/domain/use-cases/list-events.js';
import { Search } from '../../../src/domain/use-cases/search.js';
import { WhoAmI } from '../../../src/domain/use-cases/who-am-i.js';
import { domainErrorOf, makeEvent, makeIdentity } from '../fixtures.js';

const me = makeIdentity();

describe('ListEvents', () => {
  const calendar = new InMemoryCalendarGateway();
  calendar.add(
    me,
    makeEvent({ id: 'before', start: '2024-04-30T09:00:00.000Z', end: '2024-04-30T10:00:00.000Z' }),
    makeEvent({ id: 'b', start: '2024-05-01T12:00:00.000Z', end: '2024-05-01T13:00:00.000Z' }),
    makeEvent({ id: 'a', start: '2024-05-01T08:00:00.000Z', end: '2024-05-01T09:00:00.000Z' }),
    makeEvent({ id: 'overlapping', start: '2024-04-30T23:30:00.000Z', end: '2024-05-01T00:30:00.000Z' }),
  );

  it('lists events overlapping the window in start order, with paging', async () => {
    const list = new ListEvents(calendar, { defaultPageSize: 2 });
    const first = await list.execute(me, { start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' });
    expect(first.items.map((e) => e.id)).toEqual(['overlapping', 'a']);
    const second = await list.execute(me, { start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z', cursor: first.nextCursor as string });
    expect(second.items.map((e) => e.id)).toEqual(['b']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('accepts offsets and a valid IANA zone', async () => {
    const page = await new ListEvents(calendar).execute(me, { start: '2024-05-01T02:00:00+02:00', end: '2024-05-01T23:00:00+02:00', timeZone: 'Europe/Paris' });
    expect(page.items.map((e) => e.id)).toEqual(['overlapping', 'a', 'b']);
    expect(page.items[0]?.timeZone).toBe('Europe/Paris');
  });

  it.each([
    [{ start: '2024-05-02T00:00:00Z', end: '2024-05-01T00:00:00Z' }, 'calendar.invalidWindow'],
    [{ start: '2024-05-01T00:00:00Z', end: '2024-05-01T00:00:00Z' }, 'calendar.invalidWindow'],
    [{ start: '2024-01-01T00:00:00Z', end: '2025-01-02T00:00:01Z' }, 'calendar.invalidWindow'],
    [{ start: '2024-05-01', end: '2024-05-02T00:00:00Z' }, 'calendar.invalidDate'],
    [{ start: '2024-05-01T00:00:00', end: '2024-05-02T00:00:00Z' }, 'calendar.invalidDate'],
    [{ start: '2024-13-01T00:00:00Z', end: '2024-05-02T00:00:00Z' }, 'calendar.invalidDate'],
    [{ start: 'now', end: 'tomorrow' }, 'calendar.invalidDate'],
    [{ start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z', timeZone: 'Mars/Olympus' }, 'calendar.invalidTimeZone'],
    [{ start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z', timeZone: 'UTC"\r\nX-Evil: 1' }, 'calendar.invalidTimeZone'],
  ])('rejects %j with %s', async (input, code) => {
    const err = await domainErrorOf(() => new ListEvents(calendar).execute(me, input));
    expect(err).toMatchObject({ category: 'invalid_input', code });
  });
});

describe('Search', () => {
  const index = new InMemorySearchGateway();
  index.add(
    me,
    { hit: { entity: 'message', id: 'm1', title: 'Budget 2024', summary: 'numbers' }, text: 'quarterly budget review' },
    { hit: { entity: 'event', id: 'e1', title: 'Budget meeting', summary: '' }, text: '' },
    { hit: { entity: 'driveItem', id: 'f1', title: 'budget.xlsx', summary: '' }, text: '' },
    { hit: { entity: 'driveItem', id: 'f2', title: 'holiday.docx', summary: '' }, text: '' },
  );

  it('searches all entities by default, trims and collapses whitespace', async () => {
    const page = await new Search(index).execute(me, { query: '  \n budget\t ' });
    expect(page.items.map((h) => h.id)).toEqual(['m1', 'e1', 'f1']);
  });

  it('restricts to the given entities and pages', async () => {
    const search = new Search(index);
    const first = await search.execute(me, { query: 'budget', entities: ['driveItem', 'message'], pageSize: 1 });
    expect(first.items.map((h) => h.id)).toEqual(['m1']);
    const second = await search.execute(me, { query: 'budget', entities: ['driveItem', 'message'], cursor: first.nextCursor as string });
    expect(second.items.map((h) => h.id)).toEqual(['f1']);
  });

  it.each([
    [{ query: '   ' }, 'search.emptyQuery'],
    [{ query: 'x'.repeat(501) }, 'search.queryTooLong'],
    [{ query: 'a\u0000b' }, 'search.invalidQuery'],
    [{ query: 'a', entities: [] }, 'search.invalidEntities'],
    [{ query: 'a', entities: ['person'] }, 'search.invalidEntities'],
  ])('rejects %j with %s', async (input, code) => {
    const err = await domainErrorOf(() => new Search(index).execute(me, input as never));
    expect(err).toMatchObject({ category: 'invalid_input', code });
  });
});

describe('WhoAmI', () => {
  it('returns the profile with the identity the token is bound to', async () => {
    const profiles = new InMemoryProfileGateway();
    profiles.add(me, { id: 'user-1', displayName: 'Ada', userPrincipalName: 'ada@contoso.com', tenantId: 'tenant-1' });
    const result = await new WhoAmI(profiles).execute(me);
    expect(result).toEqual({
      profile: { id: 'user-1', displayName: 'Ada', userPrincipalName: 'ada@contoso.com', tenantId: 'tenant-1' },
      tenantId: 'tenant-1',
      clientId: 'client-1',
      scopes: ['mail.read'],
    });
  });
});
