provider "aws" {
  region     = "eu-west-1"
  access_key = "{{ID}}"
  secret_key = "{{SECRET}}"
}
