import boto3
KEY = "{{ID2}}"
s3 = boto3.client("s3", aws_access_key_id=KEY)
