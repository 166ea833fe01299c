import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="{{ID}}",
    aws_secret_access_key="{{SECRET}}",
)
