import type { EmailAddress } from './mail.js';

export interface EventAttendee extends EmailAddress {
  type: 'required' | 'optional' | 'resource';
  response: 'none' | 'organizer' | 'accepted' | 'tentativelyAccepted' | 'declined' | 'notResponded';
}

export interface CalendarEvent {
  id: string;
  subject: string;
  /** ISO 8601 instants, in UTC unless a time zone was requested. */
  start: string;
  end: string;
  timeZone: string;
  isAllDay: boolean;
  location?: string;
  organizer?: EmailAddress;
  attendees: EventAttendee[];
  isOnlineMeeting: boolean;
  onlineMeetingUrl?: string;
  showAs: string;
  isCancelled: boolean;
  preview: string;
  webLink?: string;
}

export interface CalendarWindow {
  start: string;
  end: string;
  timeZone?: string;
}
