# dev: One small task; cheap, disposable data. Redis without TLS is allowed only here.
# Placeholders (account 111111111111, ids, host names) stand for the dev account's existing infrastructure.

environment = "dev"
aws_region  = "eu-west-1"

tags = {
  owner       = "platform-integrations"
  cost-centre = "m365-gateway"
}

# Existing network, cluster and load balancer
vpc_id = "vpc-01110000000000001"
private_subnet_ids = [
  "subnet-0de100000000001",
  "subnet-0de200000000002",
]
ecs_cluster_name       = "internal-services-dev"
alb_listener_arn       = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/internal-dev/0123456789abcdef/fedcba9876543210"
alb_security_group_id  = "sg-011100000000000a1"
listener_rule_priority = 110
listener_host_headers  = ["mcp.dev.internal.example.com"]

# Image (set per release by the pipeline: -var container_image=...)
container_image = "registry.internal.example.com/m365/m365-mcp-gateway:1.0.0"

# Size and capacity
task_cpu      = 512
task_memory   = 1024
desired_count = 1
min_capacity  = 1
max_capacity  = 2

autoscaling_cpu_target_percent  = 60
autoscaling_requests_per_target = 600

# Shutdown: the app drains for SHUTDOWN_DRAIN_SECONDS after SIGTERM; ECS kills only after stopTimeout.
shutdown_drain_seconds       = 25
stop_timeout_seconds         = 40
deregistration_delay_seconds = 30

deployment_alarms_enabled  = false
target_5xx_alarm_threshold = 20
log_retention_days         = 14

# Data stores and keys
dynamodb_tables = {
  tokens      = { name = "m365-gateway-dev-tokens", indexes = ["by-tenant"] }
  sessions    = { name = "m365-gateway-dev-sessions", indexes = ["by-user"] }
  idempotency = { name = "m365-gateway-dev-idempotency" }
  locks       = { name = "m365-gateway-dev-locks" }
  flags       = { name = "m365-gateway-dev-flags" }
  oauth       = { name = "m365-gateway-dev-oauth", indexes = ["by-grant", "by-tenant"] }
  uploads     = { name = "m365-gateway-dev-uploads" }
}
dynamodb_scan_tables = []

redis_endpoint          = "m365-gateway-dev.abc123.euw1.cache.amazonaws.com"
redis_port              = 6379
redis_tls               = false
redis_security_group_id = "sg-011100000000000b2"

kms_token_key_arn     = "arn:aws:kms:eu-west-1:111111111111:key/00001111-1111-2222-3333-444455556666"
kms_previous_key_arns = []

secrets = {
  ENTRA_CLIENT_SECRET = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:m365-mcp-gateway/dev/entra-client-secret-Ab12Cd"
  REDIS_PASSWORD      = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:m365-mcp-gateway/dev/redis-auth-Ef34Gh"
}
secrets_kms_key_arns = ["arn:aws:kms:eu-west-1:111111111111:key/00001111-aaaa-bbbb-cccc-ddddeeeeffff"]

app_environment = {
  LOG_LEVEL                    = "debug"
  PUBLIC_BASE_URL              = "https://mcp.dev.internal.example.com"
  ENTRA_CLIENT_ID              = "00000000-0000-0000-0000-000000001111"
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
  api_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:m365-mcp-gateway/dev/datadog-api-key-Ij56Kl"
}
