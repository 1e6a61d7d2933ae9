import type { Identity } from '../../src/domain/identity.js';
import type { Message } from '../../src/domain/mail.js';
import type { CalendarEvent } from '../../src/domain/calendar.js';
import { DomainError } from '../../src/domain/errors.js';

export function makeIdentity(overrides: Partial<Identity> = {}): Identity {
  return { tenantId: 'tenant-1', objectId: 'user-1', subject: 'sub-1', clientId: 'client-1', scopes: ['mail.read'], ...overrides };
}

export function makeMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    subject: 'Hello',
    from: { name: 'Ada', address: 'ada@contoso.com' },
    receivedAt: '2024-05-01T10:00:00.000Z',
    isRead: false,
    hasAttachments: false,
    importance: 'normal',
    preview: 'Hi there',
    to: [{ address: 'me@contoso.com' }],
    cc: [],
    bcc: [],
    body: 'Hi there, long body',
    bodyTruncated: false,
    ...overrides,
  };
}

export function makeEvent(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: 'e1',
    subject: 'Standup',
    start: '2024-05-01T09:00:00.000Z',
    end: '2024-05-01T09:15:00.000Z',
    timeZone: 'UTC',
    isAllDay: false,
    attendees: [],
    isOnlineMeeting: false,
    showAs: 'busy',
    isCancelled: false,
    preview: '',
    ...overrides,
  };
}

/** Runs `fn` and returns the DomainError it throws (fails the test otherwise). */
export async function domainErrorOf(fn: () => Promise<unknown>): Promise<DomainError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError, got success');
}
