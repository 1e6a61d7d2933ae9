import { notFound } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { JoinedTeam } from '../teams.js';
import type { TeamsGateway } from '../../ports/teams-gateway.js';

export const LIST_TEAMS_CHANNELS_LIMITS = {
  /** Teams whose channels one call lists (one Graph request each); others come without channels. */
  maxTeamsWithChannels: 50,
  /** Channel requests in flight at once, so one call does not burst the user's Graph quota. */
  concurrency: 4,
} as const;

/** The teams the user belongs to, each with its channels (or one team's, with teamId). */
export class ListTeamsChannels {
  constructor(private readonly teams: TeamsGateway) {}

  async execute(caller: Identity, input: { teamId?: string }): Promise<JoinedTeam[]> {
    let teams = await this.teams.listJoinedTeams(caller);
    if (input.teamId !== undefined) {
      const teamId = requireGraphId(input.teamId, 'teams.invalidTeamId', 'The team id');
      teams = teams.filter((t) => t.id === teamId);
      if (teams.length === 0) throw notFound('teams.teamNotFound', 'You are not a member of a team with this id. List your teams with teams_list_channels.');
    }
    const expanded = teams.slice(0, LIST_TEAMS_CHANNELS_LIMITS.maxTeamsWithChannels);
    const out: JoinedTeam[] = [];
    for (let i = 0; i < expanded.length; i += LIST_TEAMS_CHANNELS_LIMITS.concurrency) {
      const batch = expanded.slice(i, i + LIST_TEAMS_CHANNELS_LIMITS.concurrency);
      out.push(...(await Promise.all(batch.map(async (team) => ({ ...team, channels: await this.teams.listChannels(caller, team.id) })))));
    }
    return [...out, ...teams.slice(expanded.length)];
  }
}
