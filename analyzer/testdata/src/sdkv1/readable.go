package sdkv1

import (
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/s3"
)

// A function of the package whose config sets no endpoint: the fix stands.
func regionConfig() *aws.Config {
	return aws.NewConfig().WithRegion("eu-west-1")
}

func readConfig() *s3.S3 {
	sess := session.Must(session.NewSession(&aws.Config{
		Region:      aws.String("eu-west-1"),
		Credentials: credentials.NewStaticCredentials("AKIAN4TCI73IX7HPYUJK", "P6634JJmArv+Shpx5oz+bTYqd/Z8xZ5FD/OBhpXM", ""), // want `AKIA\*+YUJK .*removes the Credentials field` `P663\*+hpXM`
	}))
	local := &aws.Config{Region: aws.String("eu-west-1")}
	return s3.New(sess, regionConfig(), local)
}
