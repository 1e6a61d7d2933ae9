output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_definition_arn" {
  description = "ARN of the task definition revision deployed."
  value       = aws_ecs_task_definition.this.arn
}

output "target_group_arn" {
  description = "Target group behind the listener rule."
  value       = aws_lb_target_group.this.arn
}

output "task_role_arn" {
  description = "Task role (what the app may do)."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "Execution role (what ECS does to start the task)."
  value       = aws_iam_role.execution.arn
}

output "task_security_group_id" {
  description = "Security group of the tasks."
  value       = aws_security_group.task.id
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = aws_cloudwatch_log_group.this.name
}
