/** Microsoft Teams chats, teams, channels and their messages, as an assistant reads and writes them. */

export type ChatType = 'oneOnOne' | 'group' | 'meeting';

export interface TeamsChat {
  id: string;
  type: ChatType;
  /** Set for named group and meeting chats; one-on-one chats have none. */
  topic?: string;
  /** Display names of the other participants (Graph expands at most 25). */
  members: string[];
  lastMessage?: { from?: string; text: string; at: string };
  webUrl?: string;
}

export interface TeamsChannel {
  id: string;
  name: string;
  description?: string;
  type: 'standard' | 'private' | 'shared';
}

export interface JoinedTeam {
  id: string;
  name: string;
  description?: string;
  /** Absent when the team's channels were not listed (see ListTeamsChannels). */
  channels?: TeamsChannel[];
}

export interface TeamsMessage {
  id: string;
  /** Sender display name; absent for messages from apps or the system. */
  from?: string;
  createdAt: string;
  /** Plain text (HTML turned into text). */
  body: string;
  subject?: string;
  importance?: 'normal' | 'high' | 'urgent';
  /** On a channel reply: the post it answers. */
  replyToId?: string;
  attachments?: Array<{ name: string; url?: string }>;
  webUrl?: string;
}

/** Where messages are read or sent: a chat, a channel, or the reply thread of a channel post. */
export type TeamsConversation = { kind: 'chat'; chatId: string } | { kind: 'channel'; teamId: string; channelId: string; postId?: string };

export interface OutgoingTeamsMessage {
  content: string;
  contentType: 'text' | 'html';
}

export interface SentTeamsMessage {
  id: string;
  createdAt: string;
  webUrl?: string;
}

/** Teams refuses messages over about 28 KB (text and formatting together). */
export const TEAMS_MESSAGE_MAX_BYTES = 28 * 1024;
