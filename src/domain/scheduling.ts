import type { EmailAddress } from './mail.js';

/** Calendars, event changes, responses and free/busy: what organizing meetings needs. */

export interface CalendarInfo {
  id: string;
  name: string;
  isDefault: boolean;
  canEdit: boolean;
  owner?: EmailAddress;
}

export type AttendeeType = 'required' | 'optional' | 'resource';

export interface AttendeeInput {
  address: string;
  /** Default required. */
  type?: AttendeeType;
}

/** Fields of an event to create or change; times are UTC instants (ISO 8601 with Z). */
export interface EventFields {
  subject?: string;
  body?: string;
  start?: string;
  end?: string;
  isAllDay?: boolean;
  location?: string;
  attendees?: AttendeeInput[];
  isOnlineMeeting?: boolean;
}

export const EVENT_RESPONSES = ['accept', 'tentativelyAccept', 'decline'] as const;
export type EventResponse = (typeof EVENT_RESPONSES)[number];

export type Availability = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

export interface MeetingTimeQuery {
  attendees: AttendeeInput[];
  /** UTC instants bounding when the meeting may happen. */
  windowStart: string;
  windowEnd: string;
  durationMinutes: number;
  maxCandidates: number;
}

export interface MeetingSuggestion {
  start: string;
  end: string;
  /** 0-100: likelihood that every attendee can attend. */
  confidence: number;
  organizerAvailability: Availability;
  attendees: Array<{ address: string; availability: Availability }>;
  reason?: string;
}

export interface MeetingTimes {
  suggestions: MeetingSuggestion[];
  /** Why there are none (attendeesUnavailable, organizerUnavailable, ...). */
  emptyReason?: string;
}

export interface ScheduleQuery {
  addresses: string[];
  start: string;
  end: string;
  intervalMinutes: number;
}

export interface ScheduleItem {
  status: Availability;
  start: string;
  end: string;
  subject?: string;
}

export interface Schedule {
  address: string;
  /** One digit per interval: 0 free, 1 tentative, 2 busy, 3 out of office, 4 working elsewhere. */
  availabilityView: string;
  items: ScheduleItem[];
  /** Set when this person's free/busy could not be read (unknown address, no permission). */
  error?: string;
}
