// Package sdkv2 gives aws-sdk-go-v2 static credentials.
package sdkv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func loadWithOption(ctx context.Context) error {
	_, err := config.LoadDefaultConfig(ctx,
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAZQUA24AN3SBJAQJ5", "Dc6YOD+gCbTTqMpcgl/dCMx1Y2tUdXddAgdi31gJ", "")), // want `AWS access key ID AKIA\*+AQJ5 .*passed to credentials.NewStaticCredentialsProvider: go fix -fixtool=keyscan replaces the static provider with the EC2 instance role` `AWS secret access key Dc6Y\*+31gJ .*passed to credentials.NewStaticCredentialsProvider`
	)
	return err
}
