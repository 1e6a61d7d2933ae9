import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

interface EventRef {
  id: string;
  subject: string;
  start: string;
  end: string;
  isOnlineMeeting: boolean;
  onlineMeetingUrl?: string;
}
interface FullEvent extends EventRef {
  timeZone: string;
  isCancelled: boolean;
  attendees: { address: string; response: string; type: string }[];
}

describe('calendar family through the MCP SDK client against the sandbox', () => {
  let gateway: RunningGateway;
  let megan: Client;
  let alex: Client;

  beforeAll(async () => {
    gateway = await startTestGateway();
    megan = await connectClient(gateway, 'megan');
    alex = await connectClient(gateway, 'alex');
  });
  afterAll(async () => {
    await megan.close();
    await alex.close();
    await gateway.close();
  });

  const invitationFor = (userName: string, subject: string): { id: string; isCancelled: boolean; startMs: number } | undefined =>
    gateway.sandbox!.tenant.calendar(seededUser(userName).id).sorted.find((e) => e.subject === subject && e.invitation !== undefined);

  it('lists calendars, the default first', async () => {
    const { calendars } = await callOk<{ calendars: { id: string; name: string; isDefault: boolean; canEdit: boolean }[] }>(megan, 'calendar_list_calendars');
    expect(calendars[0]).toMatchObject({ name: 'Calendar', isDefault: true, canEdit: true });
    const birthdays = calendars.find((c) => !c.canEdit)!;
    const refused = await callError(megan, 'calendar_create_event', { calendarId: birthdays.id, subject: 'x', start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z' });
    expect(refused.category).toBe('forbidden');
  });

  it('creates a Teams meeting that attendees receive, accept, and that the organizer changes and cancels', async () => {
    const subject = `Planning ${Date.now()}`;
    const created = await callOk<EventRef>(megan, 'calendar_create_event', {
      subject,
      start: '2026-03-02T10:00:00Z',
      end: '2026-03-02T11:00:00Z',
      attendees: [{ address: 'alex.wilber@contoso.example' }, { address: 'guest@litware.example', type: 'optional' }],
      isOnlineMeeting: true,
      location: 'Conf Room Baker',
      body: 'Agenda: budget.',
    });
    expect(created.onlineMeetingUrl).toMatch(/^https:\/\//);
    const inParis = await callOk<FullEvent>(megan, 'calendar_get_event', { eventId: created.id, timeZone: 'Europe/Paris' });
    expect(inParis.start).toBe('2026-03-02T11:00:00+01:00');
    expect(inParis.attendees.map((a) => [a.address, a.type, a.response])).toEqual([
      ['alex.wilber@contoso.example', 'required', 'none'],
      ['guest@litware.example', 'optional', 'none'],
    ]);

    const invitation = invitationFor('alex', subject)!;
    expect(invitation).toBeDefined();
    expect(await callOk(alex, 'calendar_respond', { eventId: invitation.id, response: 'accept', comment: 'See you' })).toEqual({ status: 'responded', response: 'accept' });
    const afterAccept = await callOk<FullEvent>(megan, 'calendar_get_event', { eventId: created.id });
    expect(afterAccept.attendees.find((a) => a.address.startsWith('alex'))?.response).toBe('accepted');
    expect((await callError(megan, 'calendar_respond', { eventId: created.id, response: 'decline' })).category).toBe('invalid_input');

    const moved = await callOk<EventRef>(megan, 'calendar_update_event', { eventId: created.id, start: '2026-03-03T14:00:00Z', end: '2026-03-03T15:30:00Z', subject: `${subject} (moved)` });
    expect(moved).toMatchObject({ start: '2026-03-03T14:00:00Z', end: '2026-03-03T15:30:00Z' });
    expect(invitationFor('alex', `${subject} (moved)`)?.startMs).toBe(Date.parse('2026-03-03T14:00:00Z'));
    expect((await callError(alex, 'calendar_update_event', { eventId: invitation.id, subject: 'hijack' })).category).toBe('forbidden');
    expect((await callError(megan, 'calendar_update_event', { eventId: created.id, start: '2026-03-03T14:00:00Z' })).code).toBe('calendar.missingTimes');
    expect((await callError(megan, 'calendar_update_event', { eventId: created.id })).code).toBe('calendar.nothingToChange');

    expect((await callError(alex, 'calendar_cancel_event', { eventId: invitation.id })).category).toBe('invalid_input');
    expect(await callOk(megan, 'calendar_cancel_event', { eventId: created.id, comment: 'No longer needed' })).toEqual({ status: 'cancelled' });
    expect((await callOk<FullEvent>(megan, 'calendar_get_event', { eventId: created.id })).isCancelled).toBe(true);
    expect(invitationFor('alex', `${subject} (moved)`)?.isCancelled).toBe(true);
    expect((await callError(alex, 'calendar_respond', { eventId: invitation.id, response: 'tentativelyAccept' })).category).toBe('invalid_input');
  });

  it('validates event input before calling Graph', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ start: '2026-03-02T11:00:00Z', end: '2026-03-02T10:00:00Z' }, 'calendar.invalidWindow'],
      [{ start: '2026-03-02T10:00:00Z', end: '2026-03-30T10:00:00Z' }, 'calendar.invalidWindow'],
      [{ start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', isAllDay: true }, 'calendar.invalidAllDay'],
      [{ start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', subject: 'a\nb' }, 'calendar.invalidText'],
      [{ start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', timeZone: 'Mars/Base' }, 'calendar.invalidTimeZone'],
      [{ start: 'tomorrow', end: '2026-03-02T11:00:00Z' }, 'input.invalid'],
    ];
    for (const [args, code] of bad) expect((await callError(megan, 'calendar_create_event', args)).code, JSON.stringify(args)).toBe(code);
    const allDay = await callOk<EventRef>(megan, 'calendar_create_event', { subject: 'Holiday', start: '2026-03-06T00:00:00Z', end: '2026-03-07T00:00:00Z', isAllDay: true });
    expect(allDay.start).toBe('2026-03-06T00:00:00Z');
    expect((await callError(megan, 'calendar_get_event', { eventId: 'missing' })).category).toBe('not_found');
  });

  it('finds meeting times in working hours when everyone is free', async () => {
    const result = await callOk<{ suggestions: { start: string; end: string; confidence: number; attendees: { address: string; availability: string }[] }[] }>(
      megan,
      'calendar_find_meeting_times',
      { attendees: [{ address: 'alex.wilber@contoso.example' }, { address: 'guest@litware.example', type: 'optional' }], windowStart: '2026-01-13T00:00:00Z', windowEnd: '2026-01-15T00:00:00Z', durationMinutes: 60, maxCandidates: 4 },
    );
    expect(result.suggestions).toHaveLength(4);
    const busy = (name: string): { startMs: number; endMs: number }[] =>
      gateway.sandbox!.tenant.calendar(seededUser(name).id).sorted.filter((e) => !e.isCancelled && e.showAs !== 'free');
    for (const s of result.suggestions) {
      const start = Date.parse(s.start);
      const end = Date.parse(s.end);
      expect(end - start).toBe(3_600_000);
      expect(new Date(start).getUTCHours()).toBeGreaterThanOrEqual(8);
      for (const who of ['megan', 'alex']) expect(busy(who).some((e) => e.startMs < end && e.endMs > start), `${who} busy at ${s.start}`).toBe(false);
      expect(s.attendees.find((a) => a.address === 'guest@litware.example')?.availability).toBe('unknown');
    }
    expect((await callError(megan, 'calendar_find_meeting_times', { attendees: [{ address: 'alex.wilber@contoso.example' }], windowStart: '2026-01-13T00:00:00Z', windowEnd: '2026-01-13T00:30:00Z', durationMinutes: 60 })).code).toBe('calendar.invalidDuration');
  });

  it('reads free/busy of colleagues, with an error for unknown people', async () => {
    const { schedules } = await callOk<{ schedules: { address: string; availabilityView: string; items: { status: string; start: string }[]; error?: string }[] }>(
      megan,
      'calendar_get_schedule',
      { addresses: ['megan.bowen@contoso.example', 'alex.wilber@contoso.example', 'nobody@litware.example'], start: '2026-01-13T00:00:00Z', end: '2026-01-14T00:00:00Z', intervalMinutes: 60 },
    );
    const [me, colleague, unknown] = schedules;
    expect(me!.availabilityView).toMatch(/^[0-4]{24}$/);
    expect(me!.items.length).toBeGreaterThan(0);
    expect(me!.availabilityView).toContain('2');
    expect(colleague!.availabilityView).toHaveLength(24);
    expect(unknown!.error).toMatch(/not found/);
    expect((await callError(megan, 'calendar_get_schedule', { addresses: ['alex.wilber@contoso.example'], start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z' })).code).toBe('calendar.invalidWindow');
  });
});
