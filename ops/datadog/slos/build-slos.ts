/**
 * Builds the Datadog SLOs and their alerts from targets.json: per tool family, an availability SLO
 * (metric-based: calls without a server-side error / calls) with multi-window burn-rate monitors,
 * and a latency SLO (time slice: p95 under the target in each 5-minute slice) with an error-budget
 * monitor. Monitors reference SLOs as `${slo:<key>}`; the apply step substitutes the created ids.
 *
 *   npx tsx ops/datadog/slos/build-slos.ts   # rewrites slos.generated.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FamilyTargets {
  availability: number;
  latencyP95Ms: number;
  latencyTarget: number;
}

export interface SloTargets {
  service: string;
  timeframe: '7d' | '30d' | '90d';
  families: Record<string, FamilyTargets>;
  burnRateAlerts: Array<{ longWindow: string; shortWindow: string; threshold: number; priority: number; label: string }>;
  latencyBudgetAlertPercent: number;
}

export interface GeneratedSlos {
  slos: Array<{ key: string } & Record<string, unknown>>;
  monitors: Array<Record<string, unknown>>;
}

/** Server-side categories spend the error budget; the caller's own mistakes (4xx-like) do not. */
const BUDGET_CATEGORIES = 'category IN (unavailable,timeout,internal,throttled)';
const RUNBOOK = 'docs/runbooks/incident-checklist.md#1-identify-the-affected-tool-family-and-tenant';

export function buildSlos(targets: SloTargets): GeneratedSlos {
  const slos: GeneratedSlos['slos'] = [];
  const monitors: GeneratedSlos['monitors'] = [];
  const tags = [`service:${targets.service}`, 'team:m365-gateway', 'managed-by:ops-datadog'];
  for (const [family, t] of Object.entries(targets.families)) {
    const scope = `service:${targets.service} AND family:${family}`;
    const availabilityKey = `${family}-availability`;
    slos.push({
      key: availabilityKey,
      name: `m365-mcp-gateway ${family} availability`,
      description: `Share of ${family} tool calls that do not fail with a server-side error (${BUDGET_CATEGORIES}).`,
      type: 'metric',
      query: {
        numerator: `sum:m365_gateway.tool.calls{${scope}}.as_count() - sum:m365_gateway.tool.errors{${scope} AND ${BUDGET_CATEGORIES}}.as_count()`,
        denominator: `sum:m365_gateway.tool.calls{${scope}}.as_count()`,
      },
      thresholds: [{ timeframe: targets.timeframe, target: t.availability }],
      tags: [...tags, `family:${family}`],
    });
    for (const alert of targets.burnRateAlerts) {
      monitors.push({
        name: `[m365-gateway] ${family} availability SLO burning ${alert.threshold}x (${alert.longWindow}/${alert.shortWindow}, ${alert.label})`,
        type: 'slo alert',
        query: `burn_rate("\${slo:${availabilityKey}}").over("${targets.timeframe}").long_window("${alert.longWindow}").short_window("${alert.shortWindow}") > ${alert.threshold}`,
        message: `The ${family} availability SLO (${t.availability}% over ${targets.timeframe}) is burning its error budget ${alert.threshold}x too fast.\n\nRunbook: ${RUNBOOK}\nThen: docs/runbooks/graph-regional-degradation.md#detect`,
        tags: [...tags, `family:${family}`],
        priority: alert.priority,
        options: { thresholds: { critical: alert.threshold } },
      });
    }
    const latencyKey = `${family}-latency`;
    slos.push({
      key: latencyKey,
      name: `m365-mcp-gateway ${family} latency`,
      description: `5-minute slices where the ${family} p95 tool latency is at most ${t.latencyP95Ms} ms.`,
      type: 'time_slice',
      sli_specification: {
        time_slice: {
          query: {
            formulas: [{ formula: 'query1' }],
            queries: [{ data_source: 'metrics', name: 'query1', query: `p95:m365_gateway.tool.duration{${scope}}` }],
          },
          comparator: '<=',
          threshold: t.latencyP95Ms,
          query_interval_seconds: 300,
        },
      },
      thresholds: [{ timeframe: targets.timeframe, target: t.latencyTarget }],
      tags: [...tags, `family:${family}`],
    });
    monitors.push({
      name: `[m365-gateway] ${family} latency SLO: ${targets.latencyBudgetAlertPercent}% of error budget spent`,
      type: 'slo alert',
      query: `error_budget("\${slo:${latencyKey}}").over("${targets.timeframe}") > ${targets.latencyBudgetAlertPercent}`,
      message: `The ${family} latency SLO (p95 <= ${t.latencyP95Ms} ms in ${t.latencyTarget}% of slices) has spent ${targets.latencyBudgetAlertPercent}% of its budget.\n\nRunbook: ${RUNBOOK}`,
      tags: [...tags, `family:${family}`],
      priority: 3,
      options: { thresholds: { critical: targets.latencyBudgetAlertPercent } },
    });
  }
  return { slos, monitors };
}

export const TARGETS_PATH = fileURLToPath(new URL('./targets.json', import.meta.url));
export const GENERATED_PATH = fileURLToPath(new URL('./slos.generated.json', import.meta.url));

export function readTargets(): SloTargets {
  return JSON.parse(readFileSync(TARGETS_PATH, 'utf8')) as SloTargets;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED_PATH, `${JSON.stringify(buildSlos(readTargets()), null, 2)}\n`);
  console.log(`wrote ${GENERATED_PATH}`);
}
