// Package sdkv1 gives aws-sdk-go v1 static credentials.
package sdkv1

import (
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
)

// The Credentials field goes; the default chain ends in the EC2 role provider.
func newSession() (*session.Session, error) {
	return session.NewSession(&aws.Config{
		Region:      aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials("AKIAZQUA24AN3SBJAQJ5", "Dc6YOD+gCbTTqMpcgl/dCMx1Y2tUdXddAgdi31gJ", ""), // want `AKIA\*+AQJ5 .*passed to credentials.NewStaticCredentials: go fix -fixtool=keyscan removes the Credentials field, so the default credential chain applies` `Dc6Y\*+31gJ`
	})
}

// In session.Options, the same.
func withOptions() (*session.Session, error) {
	return session.NewSessionWithOptions(session.Options{
		Config: aws.Config{Credentials: credentials.NewStaticCredentials("AKIAKJAD7N72ICT2TWJW", "5FvQeV3uAUmo8Kpvngmy10bJBLl+nof02/Xu72IL", "")}, // want `AKIA\*+TWJW .*passed to credentials.NewStaticCredentials` `5FvQ\*+72IL`
	})
}

// WithCredentials(...) is dropped from the chain of calls.
func chained() *aws.Config {
	return aws.NewConfig().WithRegion("eu-west-1").WithCredentials(credentials.NewStaticCredentials("AKIAORCARJA6MRSPNT3R", "NQLaI9aydT+RaD+rfO+/1c8KHH81NAxdTFDZlQ0O", "")) // want `AKIA\*+NT3R .*removes the WithCredentials call` `NQLa\*+lQ0O`
}

// An assignment to the field is deleted.
func assigned() *aws.Config {
	cfg := aws.NewConfig()
	cfg.Credentials = credentials.NewStaticCredentials("AKIACEIIR53FZRFEMGN3", "AO3LDHEm8138ReJxOMv5t4Oqgtp+cjpXe3Or/3zr", "") // want `AKIA\*+MGN3 .*removes the assignment` `AO3L\*+/3zr`
	return cfg
}
