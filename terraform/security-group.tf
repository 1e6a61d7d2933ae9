# The tasks accept traffic only from the ALB and talk only HTTPS (Graph, Entra, AWS APIs, registry,
# Datadog intake) and Redis. Amazon DNS and the task metadata endpoint are not filtered by security groups.

resource "aws_security_group" "task" {
  name                   = "${local.name}-task"
  description            = "${local.name} tasks: in from the ALB, out to HTTPS and Redis"
  vpc_id                 = var.vpc_id
  revoke_rules_on_delete = true
  # No inline rules: the rule resources below are the whole policy (and AWS's default allow-all egress is removed).
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.task.id
  description                  = "HTTP from the internal ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.alb_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.task.id
  description       = "HTTPS to Graph, Entra ID, AWS APIs, the registry and Datadog"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "redis" {
  security_group_id            = aws_security_group.task.id
  description                  = "Redis"
  ip_protocol                  = "tcp"
  from_port                    = var.redis_port
  to_port                      = var.redis_port
  referenced_security_group_id = var.redis_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "alb_to_task" {
  count                        = var.manage_alb_egress_rule ? 1 : 0
  security_group_id            = var.alb_security_group_id
  description                  = "ALB to ${local.name} tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.task.id
}

# Redis's side of the connection, so its security group need not be edited by hand.
resource "aws_vpc_security_group_ingress_rule" "redis_from_task" {
  count                        = var.manage_redis_ingress_rule ? 1 : 0
  security_group_id            = var.redis_security_group_id
  description                  = "Redis from ${local.name} tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.redis_port
  to_port                      = var.redis_port
  referenced_security_group_id = aws_security_group.task.id
}
