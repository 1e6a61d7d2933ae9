# Existing infrastructure this module deploys into; nothing here is created.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_ecs_cluster" "this" {
  cluster_name = var.ecs_cluster_name
}

data "aws_subnet" "private" {
  for_each = toset(var.private_subnet_ids)
  id       = each.value
}

data "aws_lb_listener" "this" {
  arn = var.alb_listener_arn
}

data "aws_lb" "this" {
  arn = data.aws_lb_listener.this.load_balancer_arn
}
