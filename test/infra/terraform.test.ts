import { beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_PATH as APP_HEALTH_PATH } from '../../src/adapters/http/http-app.js';
import { tableDefinitions, type DynamoTableNames } from '../../src/adapters/dynamo/table-definitions.js';
import { loadConfig } from '../../src/app/config.js';
import {
  ENVIRONMENTS,
  allStrings,
  asArray,
  asRecord,
  loadModule,
  loadTfvars,
  single,
  strings,
  type Hcl,
  type TerraformModule,
} from './terraform-source.js';

/** The app's own drain deadline when SHUTDOWN_DRAIN_SECONDS is unset. */
const APP_DRAIN_DEFAULT_SECONDS = loadConfig({}).http.shutdownDrainSeconds;
/** Seconds between the end of the drain and SIGKILL, for closing Redis/telemetry exporters. */
const SHUTDOWN_MARGIN_SECONDS = 5;

/**
 * The one place AWS forces a wildcard: awslogs names streams <prefix>/<container>/<task id>,
 * and the task id is unknown in advance. It stays inside this service's own log group.
 */
const ALLOWED_WILDCARD_RESOURCES = ['${aws_cloudwatch_log_group.this.arn}:log-stream:${local.log_stream_prefix}/*'];

let tf: TerraformModule;
const tfvars = new Map<string, Hcl>();

beforeAll(async () => {
  tf = await loadModule();
  for (const env of ENVIRONMENTS) tfvars.set(env, await loadTfvars(env));
});

function resource(type: string, name: string): Hcl {
  const block = tf.resource[type]?.[name];
  if (!block) throw new Error(`resource ${type}.${name} is missing`);
  return block;
}

function variableDefault(name: string): unknown {
  const v = tf.variable[name];
  if (!v) throw new Error(`variable ${name} is missing`);
  return v.default;
}

function envValue(env: string, name: string): unknown {
  const vars = tfvars.get(env) ?? {};
  return name in vars ? vars[name] : variableDefault(name);
}

/** Statements of a policy document, the contents of `dynamic "statement"` blocks included. */
function statements(document: Hcl): Hcl[] {
  const plain = asArray(document.statement).map(asRecord);
  const dynamic = asArray(asRecord(document.dynamic).statement).flatMap((d) => asArray(asRecord(d).content).map(asRecord));
  return [...plain, ...dynamic];
}

/** Names of locals an expression uses, followed transitively through other locals. */
function referencedLocals(text: string[], seen = new Set<string>()): Set<string> {
  for (const s of text) {
    for (const match of s.matchAll(/\blocal\.([a-z0-9_]+)/g)) {
      const name = match[1];
      if (name === undefined || seen.has(name)) continue;
      seen.add(name);
      referencedLocals(allStrings(tf.locals[name]), seen);
    }
  }
  return seen;
}

describe('terraform variables', () => {
  it('declares the inputs for existing infrastructure', () => {
    for (const name of [
      'vpc_id',
      'private_subnet_ids',
      'ecs_cluster_name',
      'alb_listener_arn',
      'alb_security_group_id',
      'container_image',
      'dynamodb_tables',
      'redis_endpoint',
      'kms_token_key_arn',
      'secrets',
      'datadog',
      'app_environment',
    ]) {
      expect(tf.variable, name).toHaveProperty(name);
    }
  });

  it('gives every variable a description and a type', () => {
    const names = Object.keys(tf.variable);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const v = tf.variable[name] ?? {};
      expect(typeof v.description === 'string' && v.description.trim().length > 10, `${name}.description`).toBe(true);
      expect(v.type, `${name}.type`).toBeDefined();
    }
  });
});

describe.each(ENVIRONMENTS)('environments/%s.tfvars', (env) => {
  it('sets every variable that has no default, and only declared variables', () => {
    const vars = tfvars.get(env) ?? {};
    const required = Object.entries(tf.variable)
      .filter(([, v]) => !('default' in v))
      .map(([name]) => name);
    expect(required.length).toBeGreaterThan(10);
    for (const name of required) expect(vars, `${env} sets ${name}`).toHaveProperty(name);
    for (const name of Object.keys(vars)) expect(tf.variable, `${name} is declared`).toHaveProperty(name);
    expect(vars.environment).toBe(env);
  });

  it('spreads tasks over at least two subnets and keeps one task per subnet in production shapes', () => {
    const subnets = strings(envValue(env, 'private_subnet_ids'));
    expect(subnets.length).toBeGreaterThanOrEqual(2);
    expect(new Set(subnets).size).toBe(subnets.length);
    const min = Number(envValue(env, 'min_capacity'));
    const desired = Number(envValue(env, 'desired_count'));
    const max = Number(envValue(env, 'max_capacity'));
    expect(min).toBeLessThanOrEqual(desired);
    expect(desired).toBeLessThanOrEqual(max);
    if (env === 'prod' || env === 'preprod') {
      expect(min).toBeGreaterThanOrEqual(3);
      expect(min).toBeGreaterThanOrEqual(subnets.length);
      expect(Number(envValue(env, 'task_cpu'))).toBeGreaterThanOrEqual(1024);
      expect(Number(envValue(env, 'task_memory'))).toBeGreaterThanOrEqual(2048);
    }
  });

  it('stops tasks no sooner than the drain deadline plus a margin', () => {
    const drain = Number(envValue(env, 'shutdown_drain_seconds'));
    const stop = Number(envValue(env, 'stop_timeout_seconds'));
    expect(drain).toBeGreaterThanOrEqual(APP_DRAIN_DEFAULT_SECONDS);
    expect(stop).toBeGreaterThanOrEqual(drain + SHUTDOWN_MARGIN_SECONDS);
    expect(stop).toBeLessThanOrEqual(120);
  });

  it('pins the image, names KMS keys by ARN and holds no wildcard', () => {
    expect(String(envValue(env, 'container_image'))).toMatch(/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
    expect(String(envValue(env, 'container_image'))).not.toMatch(/:latest$/);
    expect(String(envValue(env, 'kms_token_key_arn'))).toMatch(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\//);
    for (const s of allStrings(tfvars.get(env))) expect(s, 'tfvars value').not.toContain('*');
  });

  it('keeps secrets out of the plain environment', () => {
    const plain = Object.keys(asRecord(envValue(env, 'app_environment')));
    for (const key of plain) expect(key).not.toMatch(/SECRET|PASSWORD|API_KEY|PRIVATE_KEY/);
    for (const arn of Object.values(asRecord(envValue(env, 'secrets')))) {
      expect(String(arn)).toMatch(/^arn:aws:secretsmanager:/);
    }
  });
});

describe('IAM policies', () => {
  it('come only from aws_iam_policy_document data sources, never from inline JSON or managed policies', () => {
    const policyAttributes = [
      ...Object.values(tf.resource.aws_iam_role ?? {}).map((r) => r.assume_role_policy),
      ...Object.values(tf.resource.aws_iam_role_policy ?? {}).map((r) => r.policy),
    ];
    expect(policyAttributes.length).toBeGreaterThanOrEqual(4);
    for (const attr of policyAttributes) expect(attr).toMatch(/^\$\{data\.aws_iam_policy_document\.[a-z0-9_]+\.json\}$/);
    expect(tf.resource.aws_iam_role_policy_attachment).toBeUndefined();
    expect(tf.resource.aws_iam_policy).toBeUndefined();
    for (const role of Object.values(tf.resource.aws_iam_role ?? {})) {
      expect(role.managed_policy_arns).toBeUndefined();
      expect(role.inline_policy).toBeUndefined();
    }
  });

  it('name every action and resource: no wildcard, no NotAction/NotResource, no Deny tricks', () => {
    const documents = Object.entries(tf.data.aws_iam_policy_document ?? {});
    expect(documents.length).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const [docName, doc] of documents) {
      for (const st of statements(doc)) {
        const where = `${docName}/${String(st.sid)}`;
        expect(st.effect, where).toBe('Allow');
        expect(st.not_actions, where).toBeUndefined();
        expect(st.not_resources, where).toBeUndefined();
        for (const action of strings(st.actions)) expect(action, where).not.toContain('*');
        for (const res of strings(st.resources)) {
          if (!ALLOWED_WILDCARD_RESOURCES.includes(res)) expect(res, where).not.toContain('*');
        }
        // Expressions such as local.dynamodb_table_arns: every local they build on is wildcard-free.
        for (const name of referencedLocals([...strings(st.resources), ...strings(st.actions)])) {
          for (const s of allStrings(tf.locals[name])) expect(s, `${where} via local.${name}`).not.toContain('*');
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('let the task reach only the named tables and indexes with item-level actions', () => {
    const task = statements(tf.data.aws_iam_policy_document?.task ?? {});
    const dynamo = task.filter((st) => strings(st.actions).some((a) => a.startsWith('dynamodb:')));
    const allowed = new Set([
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:Query',
      'dynamodb:Scan',
    ]);
    for (const st of dynamo) for (const a of strings(st.actions)) expect(allowed.has(a), a).toBe(true);
    const scan = dynamo.filter((st) => strings(st.actions).includes('dynamodb:Scan'));
    for (const st of scan) expect(st.resources).toBe('${local.dynamodb_scan_table_arns}');
    const main = dynamo.find((st) => st.sid === 'DynamoDbItems');
    expect(main?.resources).toBe('${concat(local.dynamodb_table_arns, local.dynamodb_index_arns)}');
    expect(String(tf.locals.dynamodb_index_arns)).toContain('/index/${i}');
  });

  it('limit KMS to the token keys, three actions and the agreed encryption context keys', () => {
    const task = statements(tf.data.aws_iam_policy_document?.task ?? {});
    const kms = task.filter((st) => strings(st.actions).some((a) => a.startsWith('kms:')));
    expect(kms.length).toBe(2);
    const actions = new Set(kms.flatMap((st) => strings(st.actions)));
    expect([...actions].sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    for (const st of kms) {
      const conditions = asArray(st.condition).map(asRecord);
      const context = conditions.find((c) => c.variable === 'kms:EncryptionContextKeys' && c.test === 'ForAllValues:StringEquals');
      expect(context?.values, String(st.sid)).toBe('${var.kms_encryption_context_keys}');
      expect(conditions.some((c) => c.test === 'Null' && c.variable === 'kms:EncryptionContextKeys')).toBe(true);
    }
    expect(variableDefault('kms_encryption_context_keys')).toEqual(['tenantId', 'userId', 'purpose']);
  });

  it('give the execution role only logs of its own group and the secrets it injects', () => {
    const exec = statements(tf.data.aws_iam_policy_document?.execution ?? {});
    const actions = new Set(exec.flatMap((st) => strings(st.actions)));
    expect([...actions].sort()).toEqual(['kms:Decrypt', 'logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:GetSecretValue']);
    const task = statements(tf.data.aws_iam_policy_document?.task ?? {});
    for (const st of task) for (const a of strings(st.actions)) expect(a).not.toMatch(/^(logs|ecr|ssm|ssmmessages):/);
  });
});

describe('network', () => {
  it('uses standalone rules only, so nothing else is open', () => {
    expect(tf.resource.aws_security_group_rule).toBeUndefined();
    for (const sg of Object.values(tf.resource.aws_security_group ?? {})) {
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
    }
  });

  it('lets the tasks in only from the ALB on the container port', () => {
    const rules = Object.entries(tf.resource.aws_vpc_security_group_ingress_rule ?? {});
    const intoTask = rules.filter(([, r]) => r.security_group_id === '${aws_security_group.task.id}');
    expect(intoTask).toHaveLength(1);
    const [, rule] = intoTask[0] ?? ['', {}];
    expect(rule).toMatchObject({
      ip_protocol: 'tcp',
      from_port: '${var.container_port}',
      to_port: '${var.container_port}',
      referenced_security_group_id: '${var.alb_security_group_id}',
    });
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(variableDefault('container_port')).toBe(8080);
  });

  it('lets the tasks out only to HTTPS and to Redis', () => {
    const fromTask = Object.values(tf.resource.aws_vpc_security_group_egress_rule ?? {}).filter(
      (r) => r.security_group_id === '${aws_security_group.task.id}',
    );
    const ports = fromTask.map((r) => [r.ip_protocol, r.from_port, r.to_port]);
    expect(ports).toHaveLength(2);
    expect(ports).toEqual(
      expect.arrayContaining([
        ['tcp', 443, 443],
        ['tcp', '${var.redis_port}', '${var.redis_port}'],
      ]),
    );
    const redis = fromTask.find((r) => r.from_port === '${var.redis_port}');
    expect(redis?.referenced_security_group_id).toBe('${var.redis_security_group_id}');
  });

  it('opens other groups only towards and from the tasks on the same two ports', () => {
    const foreign = [
      ...Object.values(tf.resource.aws_vpc_security_group_ingress_rule ?? {}),
      ...Object.values(tf.resource.aws_vpc_security_group_egress_rule ?? {}),
    ].filter((r) => r.security_group_id !== '${aws_security_group.task.id}');
    expect(foreign).toHaveLength(2);
    for (const r of foreign) {
      expect(r.referenced_security_group_id).toBe('${aws_security_group.task.id}');
      expect(['${var.container_port}', '${var.redis_port}']).toContain(r.from_port);
      expect(r.to_port).toBe(r.from_port);
    }
  });

  it('never gives the tasks a public IP', () => {
    const net = single(resource('aws_ecs_service', 'this').network_configuration);
    expect(net.assign_public_ip).toBe(false);
  });
});

describe('health checks and shutdown', () => {
  it('check the app health path from the ALB and from the container', () => {
    expect(tf.locals.health_check_path).toBe(APP_HEALTH_PATH);
    const hc = single(resource('aws_lb_target_group', 'this').health_check);
    expect(hc.path).toBe('${local.health_check_path}');
    expect(hc.matcher).toBe('200');
    const container = asRecord(tf.locals.app_container);
    const command = strings(asRecord(container.healthCheck).command);
    expect(command[0]).toBe('CMD');
    expect(command.join(' ')).toContain('${local.health_check_path}');
  });

  it('gives the app a stop timeout of at least its drain deadline plus a margin', () => {
    const container = asRecord(tf.locals.app_container);
    expect(container.stopTimeout).toBe('${var.stop_timeout_seconds}');
    expect(Number(variableDefault('stop_timeout_seconds'))).toBeGreaterThanOrEqual(APP_DRAIN_DEFAULT_SECONDS + SHUTDOWN_MARGIN_SECONDS);
    expect(variableDefault('shutdown_drain_seconds')).toBe(APP_DRAIN_DEFAULT_SECONDS);
    const validation = single(tf.variable.stop_timeout_seconds?.validation);
    expect(validation.condition).toContain('var.shutdown_drain_seconds +');
    // The app reads the same number Terraform validated against.
    expect(String(tf.locals.managed_environment)).toMatch(/SHUTDOWN_DRAIN_SECONDS\s*=\s*tostring\(var\.shutdown_drain_seconds\)/);
  });
});

describe('app environment', () => {
  /** `NAME = "literal"` pairs of the module-managed environment. */
  function managedLiterals(): Record<string, string> {
    const text = String(tf.locals.managed_environment);
    return Object.fromEntries([...text.matchAll(/\b([A-Z][A-Z0-9_]*)\s*=\s*"([^"$]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
  }

  it('binds every interface, runs live in production and guards the Host header', () => {
    const literals = managedLiterals();
    expect(literals).toMatchObject({ NODE_ENV: 'production', GATEWAY_MODE: 'live', HOST: '0.0.0.0', ALLOW_LOOPBACK: 'false' });
    const text = String(tf.locals.managed_environment);
    expect(text).toMatch(/\bPORT\s*=\s*tostring\(var\.container_port\)/);
    expect(text).toMatch(/\bALLOWED_HOSTS\s*=\s*join\(",", var\.listener_host_headers\)/);
  });

  it.each(ENVIRONMENTS)('is accepted by the app configuration in %s', (env) => {
    const hosts = strings(envValue(env, 'listener_host_headers'));
    const appEnv = Object.fromEntries(Object.entries(asRecord(envValue(env, 'app_environment'))).map(([k, v]) => [k, String(v)]));
    // ECS injects each secret as an environment variable; a placeholder stands in for its value.
    const secretEnv = Object.fromEntries(Object.keys(asRecord(envValue(env, 'secrets'))).map((k) => [k, 'from-secrets-manager']));
    const tables = asRecord(envValue(env, 'dynamodb_tables'));
    const config = loadConfig({
      ...appEnv,
      ...secretEnv,
      ...managedLiterals(),
      PORT: String(envValue(env, 'container_port')),
      SHUTDOWN_DRAIN_SECONDS: String(envValue(env, 'shutdown_drain_seconds')),
      ALLOWED_HOSTS: hosts.join(','),
      // What the module derives from variables, under the names the app reads.
      DEPLOY_ENV: env,
      AWS_REGION: String(envValue(env, 'aws_region')),
      KMS_KEY_ID: String(envValue(env, 'kms_token_key_arn')),
      REDIS_URL: `${envValue(env, 'redis_tls') === false ? 'redis' : 'rediss'}://${String(envValue(env, 'redis_endpoint'))}:${String(envValue(env, 'redis_port'))}`,
      ...Object.fromEntries(Object.entries(tables).map(([k, t]) => [`DYNAMODB_TABLE_${k.toUpperCase()}`, String(asRecord(t).name)])),
    });
    expect(config.nodeEnv).toBe('production');
    expect(config.mode).toBe('live');
    expect(config.auth).toMatchObject({ mode: 'oauth', secureCookies: true, metadataFetch: { allowPrivateNetworks: false } });
    expect(config.auth.tenantPolicy.allowedTenants).not.toBe('*');
    expect(config.http).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      allowLoopback: false,
      allowedHosts: hosts,
      shutdownDrainSeconds: Number(envValue(env, 'shutdown_drain_seconds')),
    });
    // STORAGE=aws reads exactly the tables, key and Redis the module points it at.
    expect(config.storage.kind).toBe('aws');
    if (config.storage.kind !== 'aws') return;
    for (const [k, t] of Object.entries(config.storage.dynamo.tables)) expect(t, k).toBe(asRecord(tables[k]).name);
    expect(config.storage.kms.keyId).toBe(envValue(env, 'kms_token_key_arn'));
    expect(config.redis?.tls).toBe(envValue(env, 'redis_tls') !== false);
    expect(config.redis?.keyPrefix).toBe(`m365:${env}:`);
  });

  it('sets the derived storage variables under the names the app reads', () => {
    const text = String(tf.locals.managed_environment);
    expect(managedLiterals()).toMatchObject({ STORAGE: 'aws' });
    for (const name of ['DEPLOY_ENV', 'AWS_REGION', 'REDIS_URL', 'KMS_KEY_ID']) expect(text).toMatch(new RegExp(`\\b${name}\\s*=`));
    expect(text).toContain('"DYNAMODB_TABLE_${upper(k)}" => t.name');
  });

  it.each(ENVIRONMENTS)('lists every table and index the app uses in %s', (env) => {
    const tables = asRecord(envValue(env, 'dynamodb_tables'));
    const logical: Array<keyof DynamoTableNames> = ['tokens', 'sessions', 'idempotency', 'locks', 'flags', 'oauth', 'uploads'];
    const names = Object.fromEntries(logical.map((k) => [k, String(asRecord(tables[k]).name)])) as unknown as DynamoTableNames;
    for (const definition of tableDefinitions(names)) {
      const key = logical.find((k) => names[k] === definition.TableName);
      expect(key, String(definition.TableName)).toBeDefined();
      const declared = strings(asRecord(tables[key ?? '']).indexes);
      for (const index of definition.GlobalSecondaryIndexes ?? []) expect(declared, `${env} ${key}`).toContain(index.IndexName);
    }
  });
});

describe('ECS service', () => {
  it('runs on Fargate with a circuit breaker that rolls back and never drops below full capacity', () => {
    const svc = resource('aws_ecs_service', 'this');
    expect(svc.launch_type).toBe('FARGATE');
    expect(single(svc.deployment_circuit_breaker)).toEqual({ enable: true, rollback: true });
    expect(single(svc.deployment_controller).type).toBe('ECS');
    expect(svc.deployment_minimum_healthy_percent).toBe(100);
    expect(svc.deployment_maximum_percent).toBe(200);
    expect(single(svc.alarms).rollback).toBe(true);
    expect(svc.enable_execute_command).toBe(false);
    expect(strings(single(asArray(svc.lifecycle)).ignore_changes)).toContain('${desired_count}');
  });

  it('scales on CPU and on requests per target', () => {
    const metrics = Object.values(tf.resource.aws_appautoscaling_policy ?? {}).map(
      (p) => single(single(p.target_tracking_scaling_policy_configuration).predefined_metric_specification).predefined_metric_type,
    );
    expect(metrics.sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
  });

  it('logs every container through awslogs into its own log group', () => {
    const logging = asRecord(tf.locals.log_configuration);
    expect(logging.logDriver).toBe('awslogs');
    expect(asRecord(logging.options)['awslogs-group']).toBe('${aws_cloudwatch_log_group.this.name}');
    for (const name of ['app_container', 'datadog_container']) {
      expect(asRecord(tf.locals[name]).logConfiguration).toBe('${local.log_configuration}');
    }
  });

  it('injects secrets as Secrets Manager references, not values', () => {
    const td = resource('aws_ecs_task_definition', 'this');
    expect(td.container_definitions).toBe('${jsonencode(local.container_definitions)}');
    expect(asRecord(tf.locals.app_container).secrets).toBe('${[for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]}');
    const dd = asRecord(tf.locals.datadog_container);
    expect(dd.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '${var.datadog.api_key_secret_arn}' }]);
    expect(dd.essential).toBe(false);
  });
});
