package sdkperoptest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestClient(t *testing.T) {
	ctx := context.Background()
	_, err := client(context.Background()).GetObject(ctx, &s3.GetObjectInput{},
		func(o *s3.Options) { o.BaseEndpoint = aws.String("http://localhost:4566") })
	if err != nil {
		t.Fatal(err)
	}
}
