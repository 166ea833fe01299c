package sdkv2

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// A test key ID of account 000000000000, as LocalStack and moto generate:
// not reported, and neither is its secret, whole or split.
func localstack() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("AKIAQAAAAAAADVWYTIDJ", "m/GgRcJAH4muMtmWk/SUkqB0OaA+QvKe1hgzIK+B", "")
}

func localstackSplit() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("AKIA"+"QAAAAAAADVWYTIDJ", "IgNf7A+TBdihVSV0gewD"+"v/g3DRw8LJbrWAYHZmkX", "")
}
