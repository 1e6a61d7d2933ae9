# test: Two tasks in two AZs so rollouts and AZ loss behave as in production.
# Placeholders (account 222222222222, ids, host names) stand for the test account's existing infrastructure.

environment = "test"
aws_region  = "eu-west-1"

tags = {
  owner       = "platform-integrations"
  cost-centre = "m365-gateway"
}

# Existing network, cluster and load balancer
vpc_id = "vpc-02220000000000001"
private_subnet_ids = [
  "subnet-07e100000000001",
  "subnet-07e200000000002",
]
ecs_cluster_name       = "internal-services-test"
alb_listener_arn       = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:listener/app/internal-test/0123456789abcdef/fedcba9876543210"
alb_security_group_id  = "sg-022200000000000a1"
listener_rule_priority = 120
listener_host_headers  = ["mcp.test.internal.example.com"]

# Image (set per release by the pipeline: -var container_image=...)
container_image = "registry.internal.example.com/m365/m365-mcp-gateway:1.0.0"

# Size and capacity
task_cpu      = 512
task_memory   = 1024
desired_count = 2
min_capacity  = 2
max_capacity  = 4

autoscaling_cpu_target_percent  = 60
autoscaling_requests_per_target = 600

# Shutdown: the app drains for SHUTDOWN_DRAIN_SECONDS after SIGTERM; ECS kills only after stopTimeout.
shutdown_drain_seconds       = 25
stop_timeout_seconds         = 40
deregistration_delay_seconds = 30

deployment_alarms_enabled  = true
target_5xx_alarm_threshold = 20
log_retention_days         = 30

# Data stores and keys
dynamodb_tables = {
  tokens      = { name = "m365-gateway-test-tokens", indexes = ["by-tenant"] }
  sessions    = { name = "m365-gateway-test-sessions", indexes = ["by-user"] }
  idempotency = { name = "m365-gateway-test-idempotency" }
  locks       = { name = "m365-gateway-test-locks" }
  flags       = { name = "m365-gateway-test-flags" }
  oauth       = { name = "m365-gateway-test-oauth", indexes = ["by-grant", "by-tenant"] }
  uploads     = { name = "m365-gateway-test-uploads" }
}
dynamodb_scan_tables = []

redis_endpoint          = "m365-gateway-test.abc123.euw1.cache.amazonaws.com"
redis_port              = 6379
redis_tls               = true
redis_security_group_id = "sg-022200000000000b2"

kms_token_key_arn     = "arn:aws:kms:eu-west-1:222222222222:key/00002222-1111-2222-3333-444455556666"
kms_previous_key_arns = []

secrets = {
  ENTRA_CLIENT_SECRET = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:m365-mcp-gateway/test/entra-client-secret-Ab12Cd"
  REDIS_PASSWORD      = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:m365-mcp-gateway/test/redis-auth-Ef34Gh"
}
secrets_kms_key_arns = ["arn:aws:kms:eu-west-1:222222222222:key/00002222-aaaa-bbbb-cccc-ddddeeeeffff"]

app_environment = {
  LOG_LEVEL                    = "info"
  PUBLIC_BASE_URL              = "https://mcp.test.internal.example.com"
  ENTRA_CLIENT_ID              = "00000000-0000-0000-0000-000000002222"
  ENTRA_AUTHORITY_HOST         = "https://login.microsoftonline.com"
  ENTRA_SIGN_IN_TENANT         = "organizations"
  AUTH_ALLOWED_TENANTS         = "00000000-0000-0000-0000-0000000000aa"
  AUTH_CONSENT_POLICY          = "admin"
  AUTH_ADMIN_CONSENTED_TENANTS = "00000000-0000-0000-0000-0000000000aa"
}

# Telemetry: Datadog Agent sidecar receiving OTLP on localhost:4317/4318
datadog = {
  enabled            = true
  agent_image        = "registry.internal.example.com/datadog/agent:7"
  site               = "datadoghq.eu"
  api_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:222222222222:secret:m365-mcp-gateway/test/datadog-api-key-Ij56Kl"
}
