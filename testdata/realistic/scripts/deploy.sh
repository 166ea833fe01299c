#!/bin/sh
set -e
aws configure set aws_access_key_id {{ID}} && aws configure set aws_secret_access_key {{SECRET}} && aws s3 sync dist s3://bucket
