locals {
  name = "${var.service_name}-${var.environment}"

  # The app's liveness endpoint. Both the ALB and the container health check use it.
  # HEALTH_PATH in src/adapters/http/http-app.ts (test/infra asserts they are equal).
  health_check_path = "/healthz"

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # awslogs streams are named <prefix>/<container>/<task id>.
  log_stream_prefix = "ecs"

  # Version reported to Datadog: the image tag, or "digest" when pinned by digest only.
  service_version = try(regex(":([A-Za-z0-9_][A-Za-z0-9_.-]*)$", var.container_image)[0], "digest")

  # ARNs named one by one: the task role reaches exactly these tables and indexes.
  dynamodb_table_arns = [
    for t in values(var.dynamodb_tables) : "arn:${local.partition}:dynamodb:${var.aws_region}:${local.account_id}:table/${t.name}"
  ]
  dynamodb_index_arns = flatten([
    for t in values(var.dynamodb_tables) : [
      for i in t.indexes : "arn:${local.partition}:dynamodb:${var.aws_region}:${local.account_id}:table/${t.name}/index/${i}"
    ]
  ])
  dynamodb_scan_table_arns = [
    for k in var.dynamodb_scan_tables : "arn:${local.partition}:dynamodb:${var.aws_region}:${local.account_id}:table/${var.dynamodb_tables[k].name}"
  ]
  kms_decrypt_key_arns = distinct(concat([var.kms_token_key_arn], var.kms_previous_key_arns))

  # Everything the execution role must read to start the task.
  execution_secret_arns = distinct(compact(concat(
    values(var.secrets),
    [var.registry_credentials_secret_arn],
    var.datadog.enabled ? [var.datadog.api_key_secret_arn] : [],
  )))

  # Node's heap limit: three quarters of what the sidecar leaves, the rest for buffers and native memory.
  app_memory_mib  = var.task_memory - (var.datadog.enabled ? var.datadog.memory_reservation : 0)
  node_heap_mib   = floor(local.app_memory_mib * 3 / 4)
  otlp_http_local = "http://127.0.0.1:4318"

  # Variables the module owns; app_environment may not repeat them (checked by a precondition).
  managed_environment = merge(
    {
      NODE_ENV               = "production"
      # --expose-gc: the app collects after large chunk-upload bodies (HEAP_RECLAIM_AFTER_BYTES).
      NODE_OPTIONS           = "--max-old-space-size=${local.node_heap_mib} --expose-gc"
      GATEWAY_MODE           = "live"
      # DynamoDB + Redis + KMS behind the ports (docs/storage.md); the tables are DYNAMODB_TABLE_* below.
      STORAGE                = "aws"
      HOST                   = "0.0.0.0"
      PORT                   = tostring(var.container_port)
      # DNS-rebinding guard: only the names the listener rule routes here; no loopback names via the ALB.
      ALLOWED_HOSTS          = join(",", var.listener_host_headers)
      ALLOW_LOOPBACK         = "false"
      DEPLOY_ENV             = var.environment
      AWS_REGION             = var.aws_region
      SHUTDOWN_DRAIN_SECONDS = tostring(var.shutdown_drain_seconds)
      REDIS_URL              = "${var.redis_tls ? "rediss" : "redis"}://${var.redis_endpoint}:${var.redis_port}"
      KMS_KEY_ID             = var.kms_token_key_arn
      OTEL_SERVICE_NAME      = var.service_name
      OTEL_RESOURCE_ATTRIBUTES = join(",", [
        "deployment.environment=${var.environment}",
        "service.version=${local.service_version}",
      ])
      OTEL_SDK_DISABLED = var.datadog.enabled ? "false" : "true"
    },
    var.datadog.enabled ? {
      OTEL_EXPORTER_OTLP_ENDPOINT = local.otlp_http_local
      OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf"
    } : {},
    { for k, t in var.dynamodb_tables : "DYNAMODB_TABLE_${upper(k)}" => t.name },
  )

  app_environment = merge(var.app_environment, local.managed_environment)

  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.this.name
      awslogs-region        = var.aws_region
      awslogs-stream-prefix = local.log_stream_prefix
      # Never block the event loop on a slow log pipeline; drop instead.
      mode            = "non-blocking"
      max-buffer-size = "25m"
    }
  }

  app_container = {
    name      = "app"
    image     = var.container_image
    essential = true
    portMappings = [
      { name = "http", containerPort = var.container_port, protocol = "tcp" },
    ]
    environment = [for k in sort(keys(local.app_environment)) : { name = k, value = local.app_environment[k] }]
    secrets     = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]
    # SIGTERM -> app drains for SHUTDOWN_DRAIN_SECONDS -> exits; SIGKILL only after stopTimeout.
    stopTimeout            = var.stop_timeout_seconds
    readonlyRootFilesystem = true
    linuxParameters        = { initProcessEnabled = true }
    mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    healthCheck = {
      command     = ["CMD", "node", "-e", "fetch('http://127.0.0.1:${var.container_port}${local.health_check_path}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = 30
    }
    logConfiguration      = local.log_configuration
    repositoryCredentials = var.registry_credentials_secret_arn == null ? null : { credentialsParameter = var.registry_credentials_secret_arn }
    dependsOn             = var.datadog.enabled ? [{ containerName = "datadog-agent", condition = "START" }] : []
  }

  datadog_container = {
    name  = "datadog-agent"
    image = var.datadog.agent_image
    # Telemetry loss must not take the service down.
    essential         = false
    cpu               = var.datadog.cpu
    memoryReservation = var.datadog.memory_reservation
    portMappings = [
      { name = "otlp-grpc", containerPort = 4317, protocol = "tcp" },
      { name = "otlp-http", containerPort = 4318, protocol = "tcp" },
    ]
    environment = [for k, v in {
      ECS_FARGATE                                    = "true"
      DD_SITE                                        = var.datadog.site
      DD_ENV                                         = var.environment
      DD_SERVICE                                     = var.service_name
      DD_VERSION                                     = local.service_version
      DD_APM_ENABLED                                 = "true"
      DD_LOGS_ENABLED                                = "false"
      DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_GRPC_ENDPOINT = "127.0.0.1:4317"
      DD_OTLP_CONFIG_RECEIVER_PROTOCOLS_HTTP_ENDPOINT = "127.0.0.1:4318"
    } : { name = k, value = v }]
    secrets          = [{ name = "DD_API_KEY", valueFrom = var.datadog.api_key_secret_arn }]
    stopTimeout      = var.stop_timeout_seconds
    healthCheck      = { command = ["CMD-SHELL", "agent health"], interval = 30, timeout = 5, retries = 3, startPeriod = 30 }
    logConfiguration = local.log_configuration
  }

  container_definitions = concat([local.app_container], var.datadog.enabled ? [local.datadog_container] : [])
}
