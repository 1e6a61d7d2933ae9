resource "aws_ecs_task_definition" "this" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.task_cpu)
  memory                   = tostring(var.task_memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode(local.container_definitions)

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # The root filesystem is read-only; /tmp is task-local ephemeral storage.
  volume {
    name = "tmp"
  }

  lifecycle {
    precondition {
      condition     = length(setintersection(keys(var.app_environment), keys(local.managed_environment))) == 0
      error_message = "app_environment repeats variables this module sets: ${join(", ", setintersection(keys(var.app_environment), keys(local.managed_environment)))}."
    }
    precondition {
      condition     = length(setintersection(keys(var.secrets), keys(local.app_environment))) == 0
      error_message = "A variable is both a plain setting and a secret: ${join(", ", setintersection(keys(var.secrets), keys(local.app_environment)))}."
    }
  }
}
