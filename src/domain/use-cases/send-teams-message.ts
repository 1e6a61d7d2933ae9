import { invalidInput, payloadTooLarge } from '../errors.js';
import type { Identity } from '../identity.js';
import { TEAMS_MESSAGE_MAX_BYTES, type SentTeamsMessage } from '../teams.js';
import { conversationOf, type ConversationInput } from '../teams-conversation.js';
import { hasLoneSurrogate, utf8Length } from '../text.js';
import type { TeamsGateway } from '../../ports/teams-gateway.js';

export interface SendTeamsMessageInput extends ConversationInput {
  body: string;
  bodyType?: 'text' | 'html';
}

/** Posts a message as the user in a chat or channel, or replies to a channel post. Not idempotent. */
export class SendTeamsMessage {
  constructor(private readonly teams: TeamsGateway) {}

  execute(caller: Identity, input: SendTeamsMessageInput): Promise<SentTeamsMessage> {
    const where = conversationOf(input);
    const content = input.body;
    if (content.trim() === '' || content.includes('\u0000') || hasLoneSurrogate(content)) {
      throw invalidInput('teams.invalidBody', 'The message must be non-empty text.');
    }
    const bytes = utf8Length(content);
    if (bytes > TEAMS_MESSAGE_MAX_BYTES) {
      throw payloadTooLarge(
        'teams.messageTooLarge',
        `Teams messages hold at most ${TEAMS_MESSAGE_MAX_BYTES / 1024} KB; this one is ${Math.ceil(bytes / 1024)} KB. Split it into several messages, or put it in a file (files_upload, files_share) and send the link.`,
      );
    }
    const contentType = input.bodyType ?? 'text';
    if (contentType !== 'text' && contentType !== 'html') throw invalidInput('teams.invalidBodyType', 'bodyType must be "text" or "html".');
    return this.teams.sendMessage(caller, where, { content, contentType });
  }
}
