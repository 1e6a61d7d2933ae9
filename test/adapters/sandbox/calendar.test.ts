import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_BASE_DATE, seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox, readAllPages } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

interface Ev {
  id: string;
  subject: string;
  isAllDay: boolean;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  attendees: unknown[];
}

const nestor = seededUser('nestor');
let fx: SandboxFixture;
const base = new Date(DEFAULT_SANDBOX_BASE_DATE).getTime();
const window = `startDateTime=${new Date(base - 40 * 86_400_000).toISOString()}&endDateTime=${new Date(base + 40 * 86_400_000).toISOString()}`;

beforeAll(async () => {
  fx = await makeSandbox();
});
afterAll(async () => {
  await fx.sandbox.close();
});

describe('sandbox calendarView', () => {
  it('requires both window parameters', async () => {
    const res = await fx.call(nestor, '/v1.0/me/calendarView?startDateTime=2026-01-01T00:00:00Z');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ErrorInvalidParameter');
  });

  it('pages every event in the window exactly once, ordered by start', async () => {
    const { items, pages } = await readAllPages<Ev>(
      fx,
      nestor,
      `/v1.0/me/calendarView?${window}&$top=25&$orderby=start/dateTime`,
    );
    expect(items.length).toBeGreaterThanOrEqual(60);
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
    expect(pages).toBe(Math.ceil(items.length / 25));
    const starts = items.filter((e) => !e.isAllDay).map((e) => e.start.dateTime);
    expect(starts).toEqual([...starts].sort());
    expect(items.some((e) => e.isAllDay)).toBe(true);
    expect(items[0]?.start.timeZone).toBe('UTC');
  });

  it('renders start and end in the preferred time zone, Windows or IANA names', async () => {
    const path = `/v1.0/me/calendarView?${window}&$top=200&$select=subject,start,end,isAllDay`;
    const utc = (await fx.json<{ value: Ev[] }>(nestor, path)).value.find((e) => !e.isAllDay);
    const pacific = (
      await fx.json<{ value: Ev[] }>(nestor, path, {
        headers: { prefer: 'outlook.timezone="Pacific Standard Time"' },
      })
    ).value.find((e) => e.id === utc?.id);
    expect(pacific?.start.timeZone).toBe('Pacific Standard Time');
    const shift =
      (Date.parse(`${utc?.start.dateTime.slice(0, 19) ?? ''}Z`) -
        Date.parse(`${pacific?.start.dateTime.slice(0, 19) ?? ''}Z`)) /
      3_600_000;
    expect(shift).toBe(8); // January: PST is UTC-8
    const tokyo = (
      await fx.json<{ value: Ev[] }>(nestor, path, { headers: { prefer: 'outlook.timezone="Asia/Tokyo"' } })
    ).value.find((e) => e.id === utc?.id);
    expect(tokyo?.start.dateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0000000$/);
    expect(
      (Date.parse(`${tokyo?.start.dateTime.slice(0, 19) ?? ''}Z`) -
        Date.parse(`${utc?.start.dateTime.slice(0, 19) ?? ''}Z`)) /
        3_600_000,
    ).toBe(9);
  });

  it('needs Calendars.Read', async () => {
    const res = await fx.call(nestor, `/v1.0/me/calendarView?${window}`, { scopes: ['Mail.Read'] });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ErrorAccessDenied');
    expect(
      (await fx.call(nestor, `/v1.0/me/calendarView?${window}`, { scopes: ['Calendars.ReadWrite'] })).status,
    ).toBe(200);
  });
});
