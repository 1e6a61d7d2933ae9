# Target group and routing rule on the existing internal ALB.

resource "aws_lb_target_group" "this" {
  name                 = local.name
  vpc_id               = var.vpc_id
  target_type          = "ip"
  port                 = var.container_port
  protocol             = "HTTP"
  protocol_version     = "HTTP1"
  deregistration_delay = var.deregistration_delay_seconds
  # Tool calls vary from milliseconds to minutes (uploads, search): balance on open requests, not turns.
  load_balancing_algorithm_type = "least_outstanding_requests"

  # Liveness, not readiness: a check that failed on a Redis/DynamoDB/Graph outage would mark every
  # task unhealthy at once and ECS would replace them all (cold caches, refresh storm) while the app
  # could still answer with typed `unavailable` errors. See README.md "Health checks".
  health_check {
    enabled             = true
    path                = local.health_check_path
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener_rule" "this" {
  listener_arn = var.alb_listener_arn
  priority     = var.listener_rule_priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    host_header {
      values = var.listener_host_headers
    }
  }
}

# The idle timeout belongs to the shared ALB, which this module does not own: warn when it is
# too short for large uploads instead of changing it.
check "alb_idle_timeout" {
  assert {
    condition     = data.aws_lb.this.idle_timeout >= var.min_alb_idle_timeout_seconds
    error_message = "The ALB idle timeout (${data.aws_lb.this.idle_timeout} s) is below ${var.min_alb_idle_timeout_seconds} s; large uploads will be cut. Raise it on the ALB."
  }
}
