import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

interface Hit {
  hitId: string;
  rank: number;
  summary: string;
  resource: Record<string, unknown>;
}
interface SearchResponse {
  value: Array<{
    searchTerms: string[];
    hitsContainers: Array<{ hits?: Hit[]; total: number; moreResultsAvailable: boolean }>;
  }>;
}

const adele = seededUser('adele');
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox();
});
afterAll(async () => {
  await fx.sandbox.close();
});

const search = (body: unknown, scopes?: string[]): Promise<Response> =>
  fx.call(adele, '/v1.0/search/query', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(scopes ? { scopes } : {}),
  });
const one = (entityTypes: string[], queryString: string, extra: Record<string, unknown> = {}): unknown => ({
  requests: [{ entityTypes, query: { queryString }, ...extra }],
});

describe('sandbox search/query', () => {
  it('finds messages in the searchResponse shape with highlighted summaries', async () => {
    const res = await search(one(['message'], 'Zephyr', { from: 0, size: 5 }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as SearchResponse;
    const container = body.value[0]?.hitsContainers[0];
    expect(body.value[0]?.searchTerms).toEqual(['zephyr']);
    expect(container?.hits).toHaveLength(5);
    expect(container?.total).toBeGreaterThan(5);
    expect(container?.moreResultsAvailable).toBe(true);
    const hit = container?.hits?.[0];
    expect(hit?.rank).toBe(1);
    expect(hit?.summary).toMatch(/<c0>Zephyr<\/c0>/i);
    expect(hit?.resource['@odata.type']).toBe('#microsoft.graph.message');
    expect(hit?.resource.id).toBe(hit?.hitId);
    expect(String(hit?.resource.subject)).toMatch(/zephyr/i);
  });

  it('pages with from and size, and reports the end', async () => {
    const first = (await (
      await search(one(['driveItem'], 'budget', { size: 1000 }))
    ).json()) as SearchResponse;
    const total = first.value[0]?.hitsContainers[0]?.total ?? 0;
    expect(total).toBeGreaterThan(2);
    const tail = (await (
      await search(one(['driveItem'], 'budget', { from: total - 2, size: 25 }))
    ).json()) as SearchResponse;
    const container = tail.value[0]?.hitsContainers[0];
    expect(container?.hits?.map((h) => h.rank)).toEqual([total - 1, total]);
    expect(container?.moreResultsAvailable).toBe(false);
    expect(container?.hits?.[0]?.resource['@odata.type']).toBe('#microsoft.graph.driveItem');
  });

  it('searches events and honours fields', async () => {
    const body = (await (
      await search(one(['event'], 'standup', { fields: ['subject', 'start'] }))
    ).json()) as SearchResponse;
    const hit = body.value[0]?.hitsContainers[0]?.hits?.[0];
    expect(Object.keys(hit?.resource ?? {}).sort()).toEqual(['@odata.type', 'id', 'start', 'subject']);
  });

  it('returns no hits array when nothing matches', async () => {
    const body = (await (await search(one(['message'], 'xylophonequartz'))).json()) as SearchResponse;
    expect(body.value[0]?.hitsContainers[0]).toEqual({ total: 0, moreResultsAvailable: false });
  });

  it('enforces the documented request rules with 400', async () => {
    const rejected = [
      one(['message', 'event'], 'budget'),
      one(['message', 'driveItem'], 'budget'),
      one(['message'], 'budget', { size: 26 }),
      one(['event'], 'budget', { size: 100 }),
      one(['driveItem'], 'budget', { size: 1001 }),
      one(['message'], 'budget', { from: -1 }),
      one(['person'], 'budget'),
      { requests: [] },
      {
        requests: [
          { entityTypes: ['message'], query: { queryString: 'a' } },
          { entityTypes: ['message'], query: { queryString: 'b' } },
        ],
      },
    ];
    for (const body of rejected) {
      const res = await search(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await res.json()) as { error: { code: string; innerError: { 'request-id': string } } };
      expect(error.error.code).toBe('BadRequest');
      expect(error.error.innerError['request-id']).toBe(res.headers.get('request-id'));
    }
    expect((await search(one(['message'], 'budget', { size: 25 }))).status).toBe(200);
    const twoFileRequests = {
      requests: [
        { entityTypes: ['driveItem'], query: { queryString: 'a' } },
        { entityTypes: ['driveItem'], query: { queryString: 'b' } },
      ],
    };
    expect((await search(twoFileRequests)).status).toBe(200);
  });

  it('requires the scope of each entity type', async () => {
    expect((await search(one(['message'], 'budget'), ['Files.Read'])).status).toBe(403);
    expect((await search(one(['driveItem'], 'budget'), ['Files.Read.All'])).status).toBe(200);
  });
});

describe('sandbox search/query for SharePoint list items', () => {
  interface Response_ {
    value: Array<{ hitsContainers: Array<{ hits?: Array<{ hitId: string; resource: Record<string, unknown> }>; total: number }> }>;
  }
  const hitsOf = async (res: Response): Promise<Array<{ hitId: string; resource: Record<string, unknown> }>> =>
    ((await res.json()) as Response_).value[0]?.hitsContainers[0]?.hits ?? [];

  it('returns list items (and files, as their super class) for listItem; files as driveItem when both are asked', async () => {
    const alone = await hitsOf(await search(one(['listItem'], 'budget', { size: 1000 })));
    expect(alone.length).toBeGreaterThan(0);
    expect(alone.every((h) => h.resource['@odata.type'] === '#microsoft.graph.listItem')).toBe(true);
    expect(alone.some((h) => String(h.resource.webUrl).includes('/Lists/'))).toBe(true);
    expect(alone.some((h) => String(h.resource.webUrl).includes('/personal/'))).toBe(true);
    const both = await hitsOf(await search(one(['driveItem', 'listItem'], 'budget', { size: 1000 })));
    expect(both).toHaveLength(alone.length);
    for (const h of both) {
      const isFile = String(h.resource.webUrl).includes('/personal/');
      expect(h.resource['@odata.type']).toBe(isFile ? '#microsoft.graph.driveItem' : '#microsoft.graph.listItem');
    }
  });

  it('needs Sites.Read.All for list items and keeps the combination and size rules', async () => {
    expect((await search(one(['listItem'], 'budget'), ['Files.Read.All'])).status).toBe(403);
    expect((await search(one(['listItem'], 'budget'), ['Sites.Read.All'])).status).toBe(200);
    expect((await search(one(['message', 'listItem'], 'budget'))).status).toBe(400);
    expect((await search(one(['listItem'], 'budget', { size: 1001 }))).status).toBe(400);
  });
});
