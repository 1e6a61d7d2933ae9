import type { ChatType, JoinedTeam, SentTeamsMessage, TeamsChannel, TeamsChat, TeamsMessage } from '../../domain/teams.js';
import { htmlToText, tidyText, truncateText } from '../../domain/text.js';
import { arr, isoDate, obj, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

const CHAT_TYPES: readonly ChatType[] = ['oneOnOne', 'group', 'meeting'];
const CHANNEL_TYPES = ['standard', 'private', 'shared'] as const;
const IMPORTANCES = ['normal', 'high', 'urgent'] as const;
/** A chat list shows a preview, not the message. */
const PREVIEW_CHARS = 200;

/** An itemBody (`{contentType, content}`) as plain text. */
function bodyText(raw: unknown): string {
  const body = obj(raw);
  const content = str(body.content) ?? '';
  return str(body.contentType)?.toLowerCase() === 'html' ? htmlToText(content) : tidyText(content);
}

function senderName(raw: unknown): string | undefined {
  const from = obj(raw);
  return str(obj(from.user).displayName) ?? str(obj(from.application).displayName);
}

/** A chat with its members and last message expanded; `me` is left out of the members. */
export function toTeamsChat(raw: Json, me: string): TeamsChat {
  const type = str(raw.chatType) as ChatType;
  const chat: TeamsChat = {
    id: requireId(raw),
    type: CHAT_TYPES.includes(type) ? type : 'group',
    members: arr(raw.members)
      .map(obj)
      .filter((m) => str(m.userId) !== me)
      .map((m) => str(m.displayName) ?? str(m.email) ?? '')
      .filter((name) => name !== ''),
  };
  const topic = str(raw.topic);
  if (topic) chat.topic = topic;
  const last = obj(raw.lastMessagePreview);
  const at = isoDate(last.createdDateTime);
  if (at !== undefined && last.isDeleted !== true && (str(last.messageType) ?? 'message') === 'message') {
    const from = senderName(last.from);
    chat.lastMessage = { ...(from === undefined ? {} : { from }), text: truncateText(bodyText(last.body), PREVIEW_CHARS).text, at };
  }
  const webUrl = str(raw.webUrl);
  if (webUrl) chat.webUrl = webUrl;
  return chat;
}

export function toJoinedTeam(raw: Json): JoinedTeam {
  const team: JoinedTeam = { id: requireId(raw), name: str(raw.displayName) ?? '' };
  const description = str(raw.description);
  if (description) team.description = description;
  return team;
}

export function toTeamsChannel(raw: Json): TeamsChannel {
  const type = str(raw.membershipType);
  const channel: TeamsChannel = {
    id: requireId(raw),
    name: str(raw.displayName) ?? '',
    type: (CHANNEL_TYPES as readonly string[]).includes(type ?? '') ? (type as TeamsChannel['type']) : 'standard',
  };
  const description = str(raw.description);
  if (description) channel.description = description;
  return channel;
}

/** A user's message, or undefined for system events and deleted messages (nothing to read). */
export function toTeamsMessage(raw: Json): TeamsMessage | undefined {
  if ((str(raw.messageType) ?? 'message') !== 'message' || str(raw.deletedDateTime) !== undefined) return undefined;
  const message: TeamsMessage = { id: requireId(raw), createdAt: isoDate(raw.createdDateTime) ?? '', body: bodyText(raw.body) };
  const from = senderName(raw.from);
  if (from !== undefined) message.from = from;
  const subject = str(raw.subject);
  if (subject) message.subject = subject;
  const importance = str(raw.importance);
  if (importance !== 'normal' && (IMPORTANCES as readonly string[]).includes(importance ?? '')) message.importance = importance as TeamsMessage['importance'];
  const replyToId = str(raw.replyToId);
  if (replyToId) message.replyToId = replyToId;
  const attachments = arr(raw.attachments)
    .map(obj)
    .map((a) => ({ name: str(a.name) ?? str(a.contentUrl) ?? '', url: str(a.contentUrl) }))
    .filter((a) => a.name !== '')
    .map((a) => (a.url === undefined ? { name: a.name } : { name: a.name, url: a.url }));
  if (attachments.length > 0) message.attachments = attachments;
  const webUrl = str(raw.webUrl);
  if (webUrl) message.webUrl = webUrl;
  return message;
}

export function toSentTeamsMessage(raw: Json): SentTeamsMessage {
  const sent: SentTeamsMessage = { id: requireId(raw), createdAt: isoDate(raw.createdDateTime) ?? '' };
  const webUrl = str(raw.webUrl);
  if (webUrl) sent.webUrl = webUrl;
  return sent;
}
