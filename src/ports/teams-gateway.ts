import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';
import type { JoinedTeam, OutgoingTeamsMessage, SentTeamsMessage, TeamsChannel, TeamsChat, TeamsConversation, TeamsMessage } from '../domain/teams.js';

/** Microsoft Teams chats, joined teams, channels and messages of the signed-in user. */
export interface TeamsGateway {
  /** Chats, most recent activity first. */
  listChats(caller: Identity, pageSize: number, cursor?: string): Promise<Page<TeamsChat>>;
  /** The teams the user is a direct member of, without channels. */
  listJoinedTeams(caller: Identity): Promise<JoinedTeam[]>;
  listChannels(caller: Identity, teamId: string): Promise<TeamsChannel[]>;
  /** Messages of a chat or channel (or the replies to a channel post), newest first. */
  listMessages(caller: Identity, where: TeamsConversation, pageSize: number, cursor?: string): Promise<Page<TeamsMessage>>;
  sendMessage(caller: Identity, where: TeamsConversation, message: OutgoingTeamsMessage): Promise<SentTeamsMessage>;
}
