# Rollout: ECS rolling deployment, new tasks first (200 %) and old ones kept until the new are
# healthy (100 %), with the deployment circuit breaker and CloudWatch alarms both rolling back.
# Chosen over CodeDeploy blue/green: the circuit breaker does not exist for the CODE_DEPLOY
# controller, and blue/green would need a second target group and test listener on the shared
# ALB. See README.md "Rollout".

resource "aws_ecs_service" "this" {
  name             = local.name
  cluster          = data.aws_ecs_cluster.this.arn
  task_definition  = aws_ecs_task_definition.this.arn
  desired_count    = var.desired_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true
  enable_execute_command            = false
  health_check_grace_period_seconds = var.health_check_grace_period_seconds
  wait_for_steady_state             = true

  deployment_controller {
    type = "ECS"
  }

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  alarms {
    enable      = var.deployment_alarms_enabled
    rollback    = true
    alarm_names = [aws_cloudwatch_metric_alarm.target_5xx.alarm_name, aws_cloudwatch_metric_alarm.unhealthy_hosts.alarm_name]
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "app"
    container_port   = var.container_port
  }

  lifecycle {
    # Autoscaling owns the count after creation.
    ignore_changes = [desired_count]

    precondition {
      condition     = length(distinct([for s in data.aws_subnet.private : s.availability_zone])) >= 2
      error_message = "private_subnet_ids must span at least two Availability Zones."
    }
    precondition {
      condition     = alltrue([for s in data.aws_subnet.private : s.vpc_id == var.vpc_id])
      error_message = "Every private subnet must belong to vpc_id."
    }
  }

  depends_on = [aws_lb_listener_rule.this, aws_iam_role_policy.execution]
}

# Deployment guard rails on the ALB's own metrics (present without any app telemetry).
resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  alarm_name          = "${local.name}-target-5xx"
  alarm_description   = "Target 5xx responses of ${local.name}; rolls back a deployment in progress."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.target_5xx_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    LoadBalancer = data.aws_lb.this.arn_suffix
    TargetGroup  = aws_lb_target_group.this.arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "${local.name}-unhealthy-hosts"
  alarm_description   = "Tasks of ${local.name} failing the ALB health check; rolls back a deployment in progress."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"

  dimensions = {
    LoadBalancer = data.aws_lb.this.arn_suffix
    TargetGroup  = aws_lb_target_group.this.arn_suffix
  }
}
