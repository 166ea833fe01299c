package literals

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/golang-jwt/jwt/v5"
)

var jwtRegion = aws.String("eu-west-1")

// A JWT signing key in a file that imports the AWS SDK: its use says it is
// not an AWS secret, for go vet and keyscan scan alike.
var secretKey = "s+cHNtQ6m7/22Pq8D2pO6d6PZaqsORNFpcD3ZsWH"

func signedToken() (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "svc"}).SignedString([]byte(secretKey))
}
