# Two roles: the execution role is what ECS uses to start the task (pull, logs, inject secrets);
# the task role is what the app's code may do. Every action and resource is named; the only
# wildcard is the task-id suffix of log streams inside this service's own log group, which
# awslogs creates per task with names not known in advance.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    sid     = "EcsTasksAssume"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Confused-deputy guard: only tasks of this account.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# ---------------------------------------------------------------------------
# Execution role
# ---------------------------------------------------------------------------

resource "aws_iam_role" "execution" {
  name               = "${local.name}-execution"
  description        = "ECS starts ${local.name} tasks: registry credentials, logs, secrets injection"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "WriteContainerLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [aws_cloudwatch_log_group.this.arn, "${aws_cloudwatch_log_group.this.arn}:log-stream:${local.log_stream_prefix}/*"]
  }

  statement {
    sid       = "InjectSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.execution_secret_arns
  }

  dynamic "statement" {
    for_each = length(var.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "DecryptSecretsViaSecretsManager"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = var.secrets_kms_key_arns

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.aws_region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "${local.name}-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---------------------------------------------------------------------------
# Task role
# ---------------------------------------------------------------------------

resource "aws_iam_role" "task" {
  name               = "${local.name}-task"
  description        = "What ${local.name} code may do: its DynamoDB tables, its KMS keys, its secrets"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid    = "DynamoDbItems"
    effect = "Allow"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:Query",
    ]
    resources = concat(local.dynamodb_table_arns, local.dynamodb_index_arns)
  }

  # Scan only where an operator asked for it (tenant-wide revoke).
  dynamic "statement" {
    for_each = length(local.dynamodb_scan_table_arns) > 0 ? [1] : []
    content {
      sid       = "DynamoDbScanForRevoke"
      effect    = "Allow"
      actions   = ["dynamodb:Scan"]
      resources = local.dynamodb_scan_table_arns
    }
  }

  # New tokens are encrypted only with the current key, and only with the agreed context keys
  # (which must be present: ForAllValues alone would also match an empty context).
  statement {
    sid       = "KmsEncryptTokens"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:Encrypt"]
    resources = [var.kms_token_key_arn]

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "kms:EncryptionContextKeys"
      values   = var.kms_encryption_context_keys
    }
    condition {
      test     = "Null"
      variable = "kms:EncryptionContextKeys"
      values   = ["false"]
    }
  }

  # Decrypt also with retired keys until `admin reencrypt` has moved every token.
  statement {
    sid       = "KmsDecryptTokens"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = local.kms_decrypt_key_arns

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "kms:EncryptionContextKeys"
      values   = var.kms_encryption_context_keys
    }
    condition {
      test     = "Null"
      variable = "kms:EncryptionContextKeys"
      values   = ["false"]
    }
  }

  dynamic "statement" {
    for_each = length(var.runtime_secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadRuntimeSecrets"
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.runtime_secret_arns
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "${local.name}-task"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
