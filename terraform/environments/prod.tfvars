# prod: At least one task per AZ at all times; 1 vCPU / 2 GiB per task.
# Placeholders (account 444444444444, ids, host names) stand for the prod account's existing infrastructure.

environment = "prod"
aws_region  = "eu-west-1"

tags = {
  owner       = "platform-integrations"
  cost-centre = "m365-gateway"
}

# Existing network, cluster and load balancer
vpc_id = "vpc-04440000000000001"
private_subnet_ids = [
  "subnet-00d100000000001",
  "subnet-00d200000000002",
  "subnet-00d300000000003",
]
ecs_cluster_name       = "internal-services-prod"
alb_listener_arn       = "arn:aws:elasticloadbalancing:eu-west-1:444444444444:listener/app/internal-prod/0123456789abcdef/fedcba9876543210"
alb_security_group_id  = "sg-044400000000000a1"
listener_rule_priority = 140
listener_host_headers  = ["mcp.internal.example.com"]

# Image (set per release by the pipeline: -var container_image=...)
container_image = "registry.internal.example.com/m365/m365-mcp-gateway:1.0.0"

# Size and capacity
task_cpu      = 1024
task_memory   = 2048
desired_count = 3
min_capacity  = 3
max_capacity  = 12

autoscaling_cpu_target_percent  = 60
autoscaling_requests_per_target = 600

# Shutdown: the app drains for SHUTDOWN_DRAIN_SECONDS after SIGTERM; ECS kills only after stopTimeout.
shutdown_drain_seconds       = 25
stop_timeout_seconds         = 40
deregistration_delay_seconds = 120

deployment_alarms_enabled  = true
target_5xx_alarm_threshold = 10
log_retention_days         = 400

# Data stores and keys
dynamodb_tables = {
  tokens      = { name = "m365-gateway-prod-tokens", indexes = ["by-tenant"] }
  sessions    = { name = "m365-gateway-prod-sessions", indexes = ["by-user"] }
  idempotency = { name = "m365-gateway-prod-idempotency" }
  locks       = { name = "m365-gateway-prod-locks" }
  flags       = { name = "m365-gateway-prod-flags" }
  oauth       = { name = "m365-gateway-prod-oauth", indexes = ["by-grant", "by-tenant"] }
  uploads     = { name = "m365-gateway-prod-uploads" }
}
dynamodb_scan_tables = []

redis_endpoint          = "m365-gateway-prod.abc123.euw1.cache.amazonaws.com"
redis_port              = 6379
redis_tls               = true
redis_security_group_id = "sg-044400000000000b2"

kms_token_key_arn     = "arn:aws:kms:eu-west-1:444444444444:key/00004444-1111-2222-3333-444455556666"
kms_previous_key_arns = []

secrets = {
  ENTRA_CLIENT_SECRET = "arn:aws:secretsmanager:eu-west-1:444444444444:secret:m365-mcp-gateway/prod/entra-client-secret-Ab12Cd"
  REDIS_PASSWORD      = "arn:aws:secretsmanager:eu-west-1:444444444444:secret:m365-mcp-gateway/prod/redis-auth-Ef34Gh"
}
secrets_kms_key_arns = ["arn:aws:kms:eu-west-1:444444444444:key/00004444-aaaa-bbbb-cccc-ddddeeeeffff"]

app_environment = {
  LOG_LEVEL                    = "info"
  PUBLIC_BASE_URL              = "https://mcp.internal.example.com"
  ENTRA_CLIENT_ID              = "00000000-0000-0000-0000-000000004444"
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
  api_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:444444444444:secret:m365-mcp-gateway/prod/datadog-api-key-Ij56Kl"
}
