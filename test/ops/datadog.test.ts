import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/adapters/telemetry/telemetry.js';
import { buildSlos, readTargets } from '../../ops/datadog/slos/build-slos.js';
import { makeTelemetryHarness } from '../adapters/telemetry/telemetry-harness.js';
import type { TelemetryHarness } from '../adapters/telemetry/telemetry-harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OPS_DIR = join(ROOT, 'ops/datadog');
const RUNBOOK_DIR = join(ROOT, 'docs/runbooks');
/** Docs whose example queries must also name real metrics and tags. */
const DOCS = [...readdirSync(RUNBOOK_DIR).map((f) => join(RUNBOOK_DIR, f)), join(ROOT, 'docs/observability.md')].filter((f) =>
  f.endsWith('.md'),
);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdownPath: string): Set<string> {
  const headings = readFileSync(markdownPath, 'utf8').split('\n').filter((line) => /^#{1,6} /.test(line));
  return new Set(headings.map((h) => h.replace(/^#+ /, '').trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')));
}
/** Tags Datadog adds from resource attributes and the Agent, not from metric attributes. */
const RESOURCE_TAGS = new Set(['env', 'service', 'version', 'host']);

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(path);
    return entry.name.endsWith('.json') ? [path] : [];
  });
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

const TEMPLATE_PREFIX: Record<string, string> = {};

/** Each metric reference in a query, with the tag keys its filter and `by {}` use. */
function metricRefs(query: string): Array<{ metric: string; tags: string[] }> {
  const refs: Array<{ metric: string; tags: string[] }> = [];
  const pattern = /(m365_gateway(?:\.[a-z0-9_]+)+)(?:\{([^}]*)\}(?:\s*by\s*\{([^}]*)\})?)?/g;
  for (const match of query.matchAll(pattern)) {
    const [, metric = '', filter = '', groupBy = ''] = match;
    const filterKeys = [...filter.replace(/\([^)]*\)/g, '').matchAll(/(\$?[A-Za-z_][A-Za-z0-9_.]*)\s*(?::|\s(?:NOT\s+)?IN\b)/g)].map(
      (m) => m[1] ?? '',
    );
    const templateKeys = [...filter.matchAll(/\$([A-Za-z_]+)/g)].map((m) => TEMPLATE_PREFIX[m[1] ?? ''] ?? `$${m[1]}`);
    const byKeys = groupBy.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
    refs.push({ metric, tags: [...filterKeys.filter((k) => !k.startsWith('$')), ...templateKeys, ...byKeys] });
  }
  return refs;
}

describe('ops/datadog dashboards, monitors and SLOs', () => {
  const files = jsonFiles(OPS_DIR);
  const documents = files.map((path) => ({ path, json: JSON.parse(readFileSync(path, 'utf8')) as unknown }));
  let h: TelemetryHarness;
  /** Emitted metric name → attribute keys seen on its points. */
  const emitted = new Map<string, Set<string>>();

  beforeAll(async () => {
    const dashboard = documents.find((d) => d.path.endsWith('service-overview.json'))?.json as {
      template_variables: Array<{ name: string; prefix: string }>;
    };
    for (const v of dashboard.template_variables) TEMPLATE_PREFIX[v.name] = v.prefix;

    // Emit every instrument once through the real SDK and record what comes out.
    h = await makeTelemetryHarness();
    const t = h.telemetry;
    t.recordToolCall({ tool: 'mail_send', family: 'mail', outcome: 'error', durationMs: 10, errorCategory: 'unavailable' });
    t.recordGraphRetry({ family: 'mail', attempt: 2 });
    t.recordBackoff({ family: 'mail', durationMs: 100 });
    t.recordThrottle({ family: 'mail', tenantId: 'tenant-1' });
    t.recordBreakerState({ family: 'mail', state: 'open' });
    t.recordTokenRefresh({ tenantId: 'tenant-1', outcome: 'failure', reason: 'invalid_grant' });
    t.recordRateLimitRejection({ scope: 'tenant', tenantId: 'tenant-1' });
    t.recordStoreOp('redis', 'get', 1, 'ECONNRESET');
    t.recordStoreOp('dynamodb', 'GetItem', 5, 'ProvisionedThroughputExceededException', 'tokens');
    t.registerBulkhead('mail', () => 1);
    for (const [name, metric] of await h.collect()) {
      const keys = new Set<string>();
      for (const point of metric.dataPoints) for (const key of Object.keys(point.attributes)) keys.add(key);
      emitted.set(name, keys);
    }
  });
  afterAll(async () => {
    await h.handle.shutdown();
  });

  it('has a dashboard, monitors and SLOs to check', () => {
    expect(files.some((f) => f.includes('/dashboards/'))).toBe(true);
    expect(files.filter((f) => f.includes('/monitors/')).length).toBeGreaterThanOrEqual(8);
    expect(files.some((f) => f.endsWith('slos.generated.json'))).toBe(true);
  });

  it('emits every defined instrument under its exact name', () => {
    expect([...emitted.keys()].sort()).toEqual(Object.values(METRIC_NAMES).sort());
  });

  it('queries only metrics that are emitted, filtered and grouped only by tags they carry (ops and runbooks)', () => {
    const problems: string[] = [];
    const texts = [
      ...documents.map(({ path, json }) => ({ path, texts: strings(json) })),
      ...DOCS.map((path) => ({ path, texts: [readFileSync(path, 'utf8')] })),
    ];
    for (const { path, texts: values } of texts) {
      for (const text of values) {
        for (const { metric, tags } of metricRefs(text)) {
          const attributes = emitted.get(metric);
          if (attributes === undefined) {
            problems.push(`${path}: unknown metric ${metric}`);
            continue;
          }
          for (const tag of tags) {
            if (!attributes.has(tag) && !RESOURCE_TAGS.has(tag)) problems.push(`${path}: ${metric} has no tag ${tag}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows every instrument on the service dashboard', () => {
    const dashboard = documents.find((d) => d.path.endsWith('service-overview.json'));
    const shown = new Set(strings(dashboard?.json).flatMap((s) => metricRefs(s).map((r) => r.metric)));
    expect(Object.values(METRIC_NAMES).filter((name) => !shown.has(name))).toEqual([]);
  });

  it('links every monitor to an existing runbook section', () => {
    const monitors = [
      ...documents.filter((d) => d.path.includes('/monitors/')).map((d) => d.json),
      ...buildSlos(readTargets()).monitors,
    ] as Array<{ name: string; message: string }>;
    const broken: string[] = [];
    for (const monitor of monitors) {
      const links = [...monitor.message.matchAll(/docs\/runbooks\/([a-z-]+\.md)#([a-z0-9-]+)/g)];
      if (links.length === 0) broken.push(`${monitor.name}: no runbook link`);
      for (const [, file = '', anchor = ''] of links) {
        const path = join(RUNBOOK_DIR, file);
        if (!existsSync(path)) broken.push(`${monitor.name}: ${file} does not exist`);
        else if (!anchorsOf(path).has(anchor)) broken.push(`${monitor.name}: ${file} has no section #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('has every monitor file the runbooks point to', () => {
    const mentioned = DOCS.flatMap((path) => [...readFileSync(path, 'utf8').matchAll(/ops\/datadog\/[a-z/-]+\.json/g)].map((m) => m[0]));
    expect(mentioned.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });

  it('keeps slos.generated.json in step with targets.json', () => {
    const generated = documents.find((d) => d.path.endsWith('slos.generated.json'))?.json;
    expect(generated).toEqual(buildSlos(readTargets()));
    const families = Object.keys(readTargets().families);
    expect(buildSlos(readTargets()).slos.map((s) => s.key)).toEqual(families.flatMap((f) => [`${f}-availability`, `${f}-latency`]));
  });
});
