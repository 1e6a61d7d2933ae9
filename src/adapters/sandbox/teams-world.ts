import { createHash } from 'node:crypto';
import { escapeHtml } from './content.js';
import { guidFrom } from './ids.js';
import { createPrng, hashToUint32 } from './prng.js';
import type { Prng } from './prng.js';
import type { SandboxUser } from './sandbox-tenant.js';

/** The Teams part of a sandbox tenant: chats, teams, channels and their messages, seeded on first use. */

export interface StoredTeamsMessage {
  /** Graph's message ids are epoch milliseconds as strings, unique per conversation. */
  id: string;
  createdMs: number;
  messageType: 'message' | 'systemEventMessage';
  fromUserId?: string;
  contentType: 'text' | 'html';
  content: string;
  subject?: string;
  importance: 'normal' | 'high' | 'urgent';
  deletedMs?: number;
  replyToId?: string;
  attachments?: Array<{ name: string; contentUrl: string }>;
  /** Channel posts only, oldest first. */
  replies?: StoredTeamsMessage[];
}

export interface StoredChat {
  id: string;
  chatType: 'oneOnOne' | 'group' | 'meeting';
  topic: string | null;
  memberIds: string[];
  createdMs: number;
  /** Oldest first. */
  messages: StoredTeamsMessage[];
}

export interface StoredChannel {
  id: string;
  displayName: string;
  description: string;
  membershipType: 'standard' | 'private';
  /** Private channels only: who may see them. */
  memberIds?: string[];
  /** Top-level posts, oldest first. */
  messages: StoredTeamsMessage[];
}

export interface StoredTeam {
  id: string;
  displayName: string;
  description: string;
  memberIds: string[];
  channels: StoredChannel[];
}

export interface TeamsWorld {
  chats: StoredChat[];
  teams: StoredTeam[];
}

const MINUTE = 60_000;
const LINES = [
  'Can you take a look at the latest draft?',
  'Thanks, that works for me.',
  'I moved the review to Thursday.',
  'The numbers for Q1 are in the budget sheet.',
  'Who is joining the customer call?',
  'Shipping the update this afternoon.',
  'Let us sync after lunch.',
  'I added comments in the deck.',
  'Great work on the launch plan!',
  'Reminder: expense reports are due Friday.',
];
const GROUP_TOPICS = ['Q1 launch', 'Lunch crew', 'Budget review'];
const TEAMS = [
  { name: 'Contoso Marketing', description: 'Campaigns, launches and brand', channels: ['General', 'Campaigns', 'Social'] },
  { name: 'Project Apollo', description: 'The Apollo product launch', channels: ['General', 'Design', 'Leadership'] },
  { name: 'All Company', description: 'Announcements for everyone', channels: ['General'] },
];
/** Seeded sizes the tests rely on. */
export const TEAMS_SEED = { firstChatMessages: 60, channelPosts: 30 } as const;

/** Channel and group-chat thread ids look like Graph's (`19:<hex>@thread.tacv2`). */
function threadId(kind: 'tacv2' | 'v2', ...parts: Array<string | number>): string {
  return `19:${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}@thread.${kind}`;
}

class MessageFactory {
  constructor(
    private readonly prng: Prng,
    private readonly baseMs: number,
  ) {}

  /** A message at `createdMs` from one of `senders`. */
  make(createdMs: number, senders: readonly string[], extra: Partial<StoredTeamsMessage> = {}): StoredTeamsMessage {
    const line = this.prng.pick(LINES);
    const html = this.prng.chance(0.4);
    return {
      id: String(createdMs),
      createdMs,
      messageType: 'message',
      fromUserId: this.prng.pick(senders),
      contentType: html ? 'html' : 'text',
      content: html ? `<p>${escapeHtml(line)} <b>(${createdMs % 1000})</b></p>` : line,
      importance: this.prng.chance(0.05) ? 'high' : 'normal',
      ...extra,
    };
  }

  /** `count` messages of one conversation over the last `spanMinutes`, oldest first, with distinct ids. */
  thread(count: number, spanMinutes: number, senders: readonly string[]): StoredTeamsMessage[] {
    const minutesAgo = Array.from({ length: count }, () => this.prng.int(1, spanMinutes)).sort((a, b) => b - a);
    let last = 0;
    return minutesAgo.map((ago) => {
      last = Math.max(this.baseMs - ago * MINUTE, last + 1);
      return this.make(last, senders);
    });
  }
}

/** The id (and time) of a message sent now: after every message already in the conversation. */
export function nextMessageMs(nowMs: number, existing: readonly StoredTeamsMessage[]): number {
  return Math.max(nowMs, ...existing.map((m) => m.createdMs + 1));
}

/** Seeds one tenant's Teams data from its users; the same seed and users give the same world. */
export function seedTeamsWorld(seed: number, tenantId: string, users: readonly SandboxUser[], baseMs: number): TeamsWorld {
  const prng = createPrng(hashToUint32(seed, 'teams', tenantId));
  const messages = new MessageFactory(prng, baseMs);
  const ids = users.map((u) => u.id);
  const chats: StoredChat[] = [];
  const span = 30 * 24 * 60;
  // One-on-one chats between every pair; the first pair talks a lot (paging).
  for (let a = 0; a < ids.length; a++) {
    for (let b = a + 1; b < ids.length; b++) {
      const pair = [ids[a] as string, ids[b] as string];
      const count = chats.length === 0 ? TEAMS_SEED.firstChatMessages : prng.int(3, 25);
      chats.push({ id: `19:${pair.join('_')}@unq.gbl.spaces`, chatType: 'oneOnOne', topic: null, memberIds: pair, createdMs: baseMs - span * MINUTE, messages: messages.thread(count, span, pair) });
    }
  }
  if (ids.length >= 3) {
    for (const [i, topic] of GROUP_TOPICS.entries()) {
      const members = ids.filter((_, k) => k === 0 || prng.chance(0.6) || k === i + 1).slice(0, 5);
      const thread = messages.thread(prng.int(8, 20), span, members);
      // A group chat starts with a system event, and someone deleted a message.
      thread.unshift(messages.make(baseMs - (span + 1) * MINUTE, members, { messageType: 'systemEventMessage', content: '<systemEventMessage/>', contentType: 'html' }));
      const deleted = thread[thread.length - 2];
      if (deleted) deleted.deletedMs = deleted.createdMs + MINUTE;
      chats.push({ id: threadId('v2', seed, tenantId, 'group', i), chatType: 'group', topic, memberIds: members, createdMs: baseMs - (span + 1) * MINUTE, messages: thread });
    }
    chats.push({ id: `19:meeting_${guidFrom(seed, tenantId, 'meeting')}@thread.v2`, chatType: 'meeting', topic: 'Weekly sync', memberIds: ids.slice(0, 4), createdMs: baseMs - span * MINUTE, messages: messages.thread(6, span, ids.slice(0, 4)) });
  }

  const teams: StoredTeam[] = TEAMS.map((t, ti) => {
    // Everyone is in All Company; the others leave someone out (never the first user).
    const memberIds = t.name === 'All Company' ? ids : ids.filter((_, k) => k !== ids.length - 1 - ti || k === 0);
    const channels = t.channels.map((name, ci): StoredChannel => {
      const isPrivate = name === 'Leadership';
      const channelMembers = isPrivate ? memberIds.filter((_, k) => k !== 0) : memberIds;
      const posts = messages.thread(ci === 0 && ti === 0 ? TEAMS_SEED.channelPosts : prng.int(2, 8), span, channelMembers);
      for (const post of posts) {
        if (prng.chance(0.3)) post.subject = `${prng.pick(['Update', 'Question', 'Heads-up'])}: ${post.id.slice(-4)}`;
        post.replies = Array.from({ length: prng.int(0, 4) }, (_, r) => messages.make(post.createdMs + (r + 1) * MINUTE, channelMembers, { replyToId: post.id }));
      }
      if (ci === 0 && ti === 0 && posts[0]) posts[0].attachments = [{ name: 'Launch plan.docx', contentUrl: 'https://contoso.sandbox.example/sites/marketing/Shared%20Documents/Launch%20plan.docx' }];
      return {
        id: threadId('tacv2', seed, tenantId, ti, ci),
        displayName: name,
        description: `${name} of ${t.name}`,
        membershipType: isPrivate ? 'private' : 'standard',
        ...(isPrivate ? { memberIds: channelMembers } : {}),
        messages: posts,
      };
    });
    return { id: guidFrom(seed, tenantId, 'team', ti), displayName: t.name, description: t.description, memberIds, channels };
  });
  return { chats, teams };
}
