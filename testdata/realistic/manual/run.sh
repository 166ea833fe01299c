#!/bin/sh
aws configure set aws_secret_access_key {{SECRET2}} || exit 1
