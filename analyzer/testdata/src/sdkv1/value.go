package sdkv1

import (
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
)

// A credentials.Value literal given to NewStaticCredentialsFromCreds.
var cfg = aws.Config{
	Credentials: credentials.NewStaticCredentialsFromCreds(credentials.Value{
		AccessKeyID:     "AKIAUYQAXJY72IWXWJUP",                     // want `AKIA\*+WJUP .*in a credentials.Value literal: no automatic fix: the config leaves this function \(stored in the package variable cfg`
		SecretAccessKey: "8+JJNd6PU/56xa/T82JPJHsULRAjLJ4N926/b7t0", // want `8\+JJ\*+b7t0 .*in a credentials.Value literal`
	}),
	Region: aws.String("us-west-2"),
}

// Kept in a variable, the provider has no safe rewrite.
var kept = credentials.NewStaticCredentials("AKIAUU7Q3PWQ7XI43OH2", "mz+EnXWDZB9/HPlKwekNNqG3f7rKknhnMX+FULF2", "") // want `AKIA\*+3OH2 .*no automatic fix here: omit Credentials so the default chain reaches the EC2 role provider` `mz\+E\*+ULF2`
