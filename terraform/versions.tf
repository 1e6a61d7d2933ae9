terraform {
  # 1.9+: variable validations may refer to other variables (stop timeout vs drain deadline).
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70.0, < 7.0.0"
    }
  }

  # Partial configuration: bucket, key, region and lock table come from
  # `terraform init -backend-config=environments/<env>.backend.hcl` (see README.md).
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      service     = var.service_name
      environment = var.environment
      managed-by  = "terraform"
    })
  }
}
