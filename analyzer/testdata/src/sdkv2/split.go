package sdkv2

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Both keys split in the call: the secret's context is the constructor.
func splitArgs() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider("AKIA"+"RPDI6PL53X72MLDI", "k5DkNiZ8sXrrhEP0J7/6"+"RD3E1RryZ6+0qQpIugFT", "") // want `AKIA\*+MLDI .*replaces the static provider` `k5Dk\*+ugFT .*replaces the static provider`
}
