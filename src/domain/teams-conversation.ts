import { invalidInput } from './errors.js';
import { requireGraphId } from './graph-id.js';
import type { TeamsConversation } from './teams.js';

/** How tools name a conversation: a chat id, or a team and channel id (plus a post id for its thread). */
export interface ConversationInput {
  chatId?: string;
  teamId?: string;
  channelId?: string;
  postId?: string;
}

/** Exactly one of a chat or a channel; a post id only narrows a channel to one thread. */
export function conversationOf(input: ConversationInput): TeamsConversation {
  const { chatId, teamId, channelId, postId } = input;
  if (chatId !== undefined) {
    if (teamId !== undefined || channelId !== undefined || postId !== undefined) {
      throw invalidInput('teams.ambiguousConversation', 'Give either chatId, or teamId with channelId (and optionally postId), not both.');
    }
    return { kind: 'chat', chatId: requireGraphId(chatId, 'teams.invalidChatId', 'The chat id') };
  }
  if (teamId === undefined || channelId === undefined) {
    throw invalidInput('teams.missingConversation', 'Give a chatId (from teams_list_chats), or a teamId and channelId (from teams_list_channels).');
  }
  return {
    kind: 'channel',
    teamId: requireGraphId(teamId, 'teams.invalidTeamId', 'The team id'),
    channelId: requireGraphId(channelId, 'teams.invalidChannelId', 'The channel id'),
    ...(postId === undefined ? {} : { postId: requireGraphId(postId, 'teams.invalidPostId', 'The post id') }),
  };
}
