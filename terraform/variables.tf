# ---------------------------------------------------------------------------
# Identity of the deployment
# ---------------------------------------------------------------------------

variable "environment" {
  description = "Deployment environment; one of dev, test, preprod, prod."
  type        = string

  validation {
    condition     = contains(["dev", "test", "preprod", "prod"], var.environment)
    error_message = "environment must be one of dev, test, preprod, prod."
  }
}

variable "aws_region" {
  description = "AWS region of the existing VPC, cluster and ALB (e.g. eu-west-1)."
  type        = string
}

variable "service_name" {
  description = "Name of the ECS service, task family, log group and IAM roles (suffixed with the environment)."
  type        = string
  default     = "m365-mcp-gateway"

  validation {
    # The target group name (service-environment) is limited to 32 characters.
    condition     = can(regex("^[a-z][a-z0-9-]{1,23}$", var.service_name))
    error_message = "service_name must be lowercase letters, digits and dashes, at most 24 characters."
  }
}

variable "tags" {
  description = "Extra tags applied to every resource (cost centre, owner, data classification)."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------
# Existing network, cluster and load balancer
# ---------------------------------------------------------------------------

variable "vpc_id" {
  description = "ID of the existing VPC the tasks run in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the tasks, in at least two Availability Zones (checked at plan time). Egress to Graph goes through the VPC's NAT."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Give at least two private subnets (one per Availability Zone)."
  }
}

variable "ecs_cluster_name" {
  description = "Name of the existing ECS cluster (not the ARN: Application Auto Scaling addresses the service by cluster name)."
  type        = string
}

variable "alb_listener_arn" {
  description = "ARN of the existing internal ALB's HTTPS listener that gets the routing rule."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the existing internal ALB; the only source allowed to reach the tasks."
  type        = string
}

variable "manage_alb_egress_rule" {
  description = "Add an egress rule on the ALB security group towards the tasks' container port. Disable if the ALB already allows it."
  type        = bool
  default     = true
}

variable "listener_rule_priority" {
  description = "Priority of the listener rule on the shared listener; unique per listener."
  type        = number

  validation {
    condition     = var.listener_rule_priority >= 1 && var.listener_rule_priority <= 50000
    error_message = "listener_rule_priority must be between 1 and 50000."
  }
}

variable "listener_host_headers" {
  description = "Host names routed to this service by the listener rule (e.g. mcp.dev.internal.example.com)."
  type        = list(string)

  validation {
    condition     = length(var.listener_host_headers) >= 1 && length(var.listener_host_headers) <= 5
    error_message = "Give between one and five host names."
  }
}

variable "min_alb_idle_timeout_seconds" {
  description = "Smallest acceptable idle timeout of the existing ALB; large uploads need >= 300 s. Checked (as a warning) at plan time."
  type        = number
  default     = 300
}

# ---------------------------------------------------------------------------
# Image and task size
# ---------------------------------------------------------------------------

variable "container_image" {
  description = "Image reference in the existing registry, pinned by version tag or digest (never :latest)."
  type        = string

  validation {
    condition     = can(regex("(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.container_image)) && !endswith(var.container_image, ":latest")
    error_message = "container_image must end with an explicit tag or @sha256 digest, and not :latest."
  }
}

variable "registry_credentials_secret_arn" {
  description = "Secrets Manager secret with username/password for a private registry, or null when the registry needs none."
  type        = string
  default     = null
}

variable "cpu_architecture" {
  description = "CPU architecture the image is built for: X86_64 or ARM64."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "container_port" {
  description = "Port the app listens on inside the task (PORT)."
  type        = number
  default     = 8080
}

variable "task_cpu" {
  description = "Task CPU units (1024 = 1 vCPU), shared by the app and the Datadog sidecar."
  type        = number

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "task_memory" {
  description = "Task memory in MiB; must be a valid Fargate pairing with task_cpu."
  type        = number

  validation {
    condition = contains(lookup({
      "256"  = [512, 1024, 2048]
      "512"  = [1024, 2048, 3072, 4096]
      "1024" = [2048, 3072, 4096, 5120, 6144, 7168, 8192]
      "2048" = [4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384]
      "4096" = [8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384, 17408, 18432, 19456, 20480, 21504, 22528, 23552, 24576, 25600, 26624, 27648, 28672, 29696, 30720]
    }, tostring(var.task_cpu), []), var.task_memory)
    error_message = "task_memory is not a valid Fargate pairing for task_cpu."
  }
}

# ---------------------------------------------------------------------------
# Capacity, rollout and shutdown
# ---------------------------------------------------------------------------

variable "desired_count" {
  description = "Tasks at creation; afterwards autoscaling owns the count."
  type        = number

  validation {
    condition     = var.desired_count >= 1
    error_message = "desired_count must be at least 1."
  }
}

variable "min_capacity" {
  description = "Autoscaling floor. Production needs at least one task per Availability Zone."
  type        = number

  validation {
    condition     = var.min_capacity >= 1
    error_message = "min_capacity must be at least 1."
  }
}

variable "max_capacity" {
  description = "Autoscaling ceiling; bounded by Graph throttling and DynamoDB capacity, not by CPU."
  type        = number

  validation {
    condition     = var.max_capacity >= var.min_capacity && var.desired_count >= var.min_capacity && var.desired_count <= var.max_capacity
    error_message = "Need min_capacity <= desired_count <= max_capacity."
  }
}

variable "autoscaling_cpu_target_percent" {
  description = "Target average CPU utilisation for target tracking."
  type        = number
  default     = 60

  validation {
    condition     = var.autoscaling_cpu_target_percent >= 20 && var.autoscaling_cpu_target_percent <= 90
    error_message = "autoscaling_cpu_target_percent must be between 20 and 90."
  }
}

variable "autoscaling_requests_per_target" {
  description = "Target ALB requests per task per minute (ALBRequestCountPerTarget)."
  type        = number
  default     = 600

  validation {
    condition     = var.autoscaling_requests_per_target > 0
    error_message = "autoscaling_requests_per_target must be positive."
  }
}

variable "shutdown_drain_seconds" {
  description = "App graceful drain deadline after SIGTERM (passed as SHUTDOWN_DRAIN_SECONDS)."
  type        = number
  default     = 25

  validation {
    condition     = var.shutdown_drain_seconds >= 1 && var.shutdown_drain_seconds <= 110
    error_message = "shutdown_drain_seconds must be between 1 and 110."
  }
}

variable "stop_timeout_seconds" {
  description = "Seconds ECS waits after SIGTERM before SIGKILL (container stopTimeout); must cover the drain deadline plus a margin. Fargate caps it at 120."
  type        = number
  default     = 40

  validation {
    condition     = var.stop_timeout_seconds >= var.shutdown_drain_seconds + 5 && var.stop_timeout_seconds <= 120
    error_message = "stop_timeout_seconds must be at least shutdown_drain_seconds + 5 and at most 120."
  }
}

variable "deregistration_delay_seconds" {
  description = "Target group deregistration delay: how long the ALB lets in-flight requests (uploads included) finish before ECS sends SIGTERM."
  type        = number
  default     = 60

  validation {
    condition     = var.deregistration_delay_seconds >= 0 && var.deregistration_delay_seconds <= 3600
    error_message = "deregistration_delay_seconds must be between 0 and 3600."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores failing ALB health checks after a task starts."
  type        = number
  default     = 30
}

variable "deployment_alarms_enabled" {
  description = "Roll a deployment back when the target group's 5xx or unhealthy-host alarm fires during it."
  type        = bool
  default     = true
}

variable "target_5xx_alarm_threshold" {
  description = "Target 5xx responses per minute that, for 2 of 3 minutes, trip the deployment alarm."
  type        = number
  default     = 10
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the container logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}

# ---------------------------------------------------------------------------
# Data stores, keys and secrets (all existing)
# ---------------------------------------------------------------------------

variable "dynamodb_tables" {
  description = "Existing DynamoDB tables by logical name (tokens, sessions, idempotency, locks, flags, oauth, uploads, ...): table name and the names of its secondary indexes. Each becomes DYNAMODB_TABLE_<NAME> in the environment; the task role reaches only these tables and indexes."
  type = map(object({
    name    = string
    indexes = optional(list(string), [])
  }))

  validation {
    condition     = length(var.dynamodb_tables) >= 1 && alltrue([for k, t in var.dynamodb_tables : can(regex("^[a-z][a-z0-9_]*$", k)) && can(regex("^[A-Za-z0-9_.-]{3,255}$", t.name))])
    error_message = "Keys must be snake_case logical names and table names valid DynamoDB names."
  }

  # The app (STORAGE=aws) needs these seven tables and queries these indexes (src/adapters/dynamo/table-definitions.ts).
  validation {
    condition = alltrue([for k in ["tokens", "sessions", "idempotency", "locks", "flags", "oauth", "uploads"] : contains(keys(var.dynamodb_tables), k)]) && contains(try(var.dynamodb_tables["tokens"].indexes, []), "by-tenant") && contains(try(var.dynamodb_tables["sessions"].indexes, []), "by-user") && alltrue([for i in ["by-grant", "by-tenant"] : contains(try(var.dynamodb_tables["oauth"].indexes, []), i)])
    error_message = "dynamodb_tables must include tokens (index by-tenant), sessions (index by-user), idempotency, locks, flags, oauth (indexes by-grant, by-tenant) and uploads."
  }
}

variable "dynamodb_scan_tables" {
  description = "Logical names (keys of dynamodb_tables) on which the task may Scan, for the tenant-wide revoke; empty grants no Scan."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for k in var.dynamodb_scan_tables : contains(keys(var.dynamodb_tables), k)])
    error_message = "dynamodb_scan_tables must name keys of dynamodb_tables."
  }
}

variable "redis_endpoint" {
  description = "Host name of the existing Redis (ElastiCache primary/configuration endpoint)."
  type        = string
}

variable "redis_port" {
  description = "Redis port; the only non-HTTPS egress the tasks get."
  type        = number
  default     = 6379
}

variable "redis_tls" {
  description = "Connect to Redis over TLS (rediss://). Required outside dev."
  type        = bool
  default     = true
}

variable "redis_security_group_id" {
  description = "Security group of the existing Redis; egress on redis_port goes only there."
  type        = string
}

variable "manage_redis_ingress_rule" {
  description = "Add an ingress rule on the Redis security group from the tasks. Disable if Redis's owners manage it."
  type        = bool
  default     = true
}

variable "kms_token_key_arn" {
  description = "ARN (not alias) of the KMS key that encrypts tokens now: GenerateDataKey, Encrypt and Decrypt."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_token_key_arn))
    error_message = "kms_token_key_arn must be a KMS key ARN (arn:aws:kms:region:account:key/id), not an alias."
  }
}

variable "kms_previous_key_arns" {
  description = "ARNs of retired token keys still needed to decrypt until `admin reencrypt` has run (Decrypt only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.kms_previous_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", a))])
    error_message = "kms_previous_key_arns must be KMS key ARNs, not aliases."
  }
}

variable "kms_encryption_context_keys" {
  description = "The only encryption-context keys the app may use with the token keys (kms:EncryptionContextKeys)."
  type        = list(string)
  default     = ["tenantId", "userId", "purpose"]
}

variable "secrets" {
  description = "Environment variables injected from Secrets Manager: variable name => secret ARN (whole secret, no JSON-key suffix). E.g. ENTRA_CLIENT_SECRET, REDIS_PASSWORD."
  type        = map(string)

  validation {
    condition     = alltrue([for k, a in var.secrets : can(regex("^[A-Z][A-Z0-9_]*$", k)) && can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$", a))])
    error_message = "secrets keys must be UPPER_SNAKE env names and values Secrets Manager secret ARNs."
  }
}

variable "secrets_kms_key_arns" {
  description = "Customer managed KMS keys that encrypt the secrets above (the execution role may Decrypt through Secrets Manager only). Empty when they use the AWS managed key."
  type        = list(string)
  default     = []
}

variable "runtime_secret_arns" {
  description = "Secrets the app itself reads at run time (task role GetSecretValue); empty grants none."
  type        = list(string)
  default     = []
}

variable "app_environment" {
  description = "Plain (non-secret) app settings: Entra ids and redirect URIs, allowed tenants, consent policy, rate limits, concurrency, flags. Must not repeat variables this module sets itself, nor look like secrets."
  type        = map(string)

  validation {
    condition     = alltrue([for k in keys(var.app_environment) : can(regex("^[A-Z][A-Z0-9_]*$", k)) && !can(regex("(SECRET|PASSWORD|API_KEY|PRIVATE_KEY)", k))])
    error_message = "app_environment keys must be UPPER_SNAKE, and secrets go in var.secrets."
  }
}

# ---------------------------------------------------------------------------
# Telemetry
# ---------------------------------------------------------------------------

variable "datadog" {
  description = "Datadog Agent sidecar receiving OTLP from the app on localhost:4317 (gRPC) and 4318 (HTTP)."
  type = object({
    enabled            = bool
    agent_image        = optional(string, "")
    site               = optional(string, "datadoghq.com")
    api_key_secret_arn = optional(string, "")
    cpu                = optional(number, 128)
    memory_reservation = optional(number, 256)
  })

  validation {
    condition     = !var.datadog.enabled || (var.datadog.agent_image != "" && startswith(var.datadog.api_key_secret_arn, "arn:"))
    error_message = "With the sidecar enabled, agent_image and api_key_secret_arn are required."
  }
}
