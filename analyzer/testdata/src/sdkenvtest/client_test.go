package sdkenvtest

import (
	"context"
	"testing"
)

func TestClient(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL_S3", "http://localhost:4566")
	if client(context.Background()) == nil {
		t.Fatal("no client")
	}
}
