package scanner_test

import (
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner"
)

// TestTerraformAdvice checks newuser MEDIUM-2: a key in a .tf file is
// advised for the block it stands in (provider "aws", backend "s3", a
// variable's default, another block), one in a .tfvars file for the
// variable it sets; braces in strings, comments and heredocs do not move
// the blocks. Terragrunt and .tf.json files keep the provider's advice.
func TestTerraformAdvice(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	const (
		provider = `from the provider "aws" block`
		backend  = `from the backend "s3" block, then run terraform init -reconfigure`
		variable = `Delete the variable that holds the key`
		tfvars   = `Delete the key from the .tfvars file, and the variable it sets`
		other    = `Remove the key from this block and from what reads it`
	)
	main := `# a comment with a brace {
terraform {
  required_version = ">= 1.6" # }
  backend "s3" {
    bucket     = "state-{x}"
    access_key = "{{ID}}"
    secret_key = "{{SECRET}}"
  }
}

provider "aws" {
  region     = "us-east-1"
  access_key = "{{ID2}}"
  secret_key = "{{SECRET2}}"
}
`
	vars := `variable "policy" {
  default = <<-EOT
    {"Statement": [{
  EOT
}

variable "aws_access_key" {
  default = "{{ID}}"
}

/* } */
locals {
  secret_key = "{{SECRET}}"
}
`
	for _, tc := range []struct {
		name, file, text string
		want             map[string]string // placeholder: a piece of its advice
	}{
		{"backend and provider", "infra/main.tf", main, map[string]string{"ID": backend, "SECRET": backend, "ID2": provider, "SECRET2": provider}},
		{"variable, heredoc, locals", "infra/vars.tf", vars, map[string]string{"ID": variable, "SECRET": other}},
		{"a backup copy", "infra/main.tf.bak", main, map[string]string{"ID": backend, "ID2": provider}},
		{"tfvars", "prod.auto.tfvars", "aws_access_key = \"{{ID}}\"\naws_secret_key = \"{{SECRET}}\"\n", map[string]string{"ID": tfvars, "SECRET": tfvars}},
		{"terragrunt", "live/terragrunt.hcl", main, map[string]string{"ID": provider, "SECRET2": provider}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals := fakekey.New(17).Values()
			fs := sc.Scan(tc.file, []byte(rules.Fill(tc.text, vals)))
			for ph, want := range tc.want {
				found := false
				for _, f := range fs {
					if f.Secret != vals[ph] {
						continue
					}
					found = true
					if !strings.Contains(f.Suggestion, want) {
						t.Errorf("%s: advice %q, want %q", ph, f.Suggestion, want)
					}
				}
				if !found {
					t.Errorf("%s not reported", ph)
				}
			}
		})
	}
}

// TestAdviceByContent checks newuser LOW-11 and LOW-12: a .properties or
// Spring YAML file is advised for Spring Cloud AWS only when it configures
// it, else for the AWS SDK for Java; container advice names the IMDSv2 hop
// limit.
func TestAdviceByContent(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	const (
		spring = "Spring Cloud AWS falls back to the default chain"
		java   = "build the AWS clients with the SDK's default chain (DefaultCredentialsProvider"
		hop    = "HttpPutResponseHopLimit"
	)
	for _, tc := range []struct {
		name, file, text, want, not string
	}{
		{"SDK properties", "src/main/resources/config.properties", "aws.accessKeyId={{ID}}\naws.secretKey={{SECRET}}\n", java, spring},
		{"Spring Cloud AWS 2", "src/main/resources/application.properties", "cloud.aws.credentials.access-key={{ID}}\ncloud.aws.credentials.secret-key={{SECRET}}\n", spring, java},
		{"Spring Cloud AWS 3 YAML", "src/main/resources/application.yml", "spring:\n  cloud:\n    aws:\n      credentials:\n        access-key: {{ID}}\n        secret-key: {{SECRET}}\n", spring, java},
		{"Spring Boot YAML without Spring Cloud AWS", "src/main/resources/application.yml", "app:\n  aws-access-key-id: {{ID}}\n  aws-secret-access-key: {{SECRET}}\n", java, spring},
		{"Dockerfile", "Dockerfile", "FROM alpine\nENV AWS_ACCESS_KEY_ID={{ID}} AWS_SECRET_ACCESS_KEY={{SECRET}}\n", hop, ""},
		{"compose", "docker-compose.yml", "services:\n  app:\n    environment:\n      AWS_ACCESS_KEY_ID: {{ID}}\n      AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", hop, ""},
		{"Kubernetes", "k8s/deploy.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  AWS_ACCESS_KEY_ID: {{ID}}\n  AWS_SECRET_ACCESS_KEY: {{SECRET}}\n", hop, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals := fakekey.New(23).Values()
			fs := sc.Scan(tc.file, []byte(rules.Fill(tc.text, vals)))
			if len(fs) != 2 {
				t.Fatalf("%d findings, want the pair", len(fs))
			}
			for _, f := range fs {
				if !strings.Contains(f.Suggestion, tc.want) || tc.not != "" && strings.Contains(f.Suggestion, tc.not) {
					t.Errorf("%s: advice %q, want %q", f.Rule, f.Suggestion, tc.want)
				}
			}
		})
	}
}
