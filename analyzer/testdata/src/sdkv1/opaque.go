package sdkv1

import (
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/s3"
)

// The client's config in a package variable, whose declaration sets the
// endpoint (qa7 HIGH-4, case F).
var minioCfg = &aws.Config{Endpoint: aws.String("http://minio:9000"), S3ForcePathStyle: aws.Bool(true)}

func packageConfig() *s3.S3 {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("AKIA5TYQRJZX2ZBY6YJ6", "zgJkKv1otr3CuD9AdmwHnZ3vGd0/FkcLc+jTnp7k", "")})) // want `AKIA\*+6YJ6 .*no automatic fix: the client has a custom endpoint \(Endpoint, in minioCfg\)` `zgJk\*+np7k`
	return s3.New(sess, minioCfg)
}

// A function of the package returns the client's config (case G).
func minioConfig() *aws.Config {
	return &aws.Config{Endpoint: aws.String("http://minio:9000")}
}

func calledConfig() *s3.S3 {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("AKIA6L4NGZO4NRRX7OID", "O4m97+Z5zl/dxeIt3V0K14/QapWvluLtF6h+g3wq", "")})) // want `AKIA\*+7OID .*custom endpoint \(Endpoint, in minioConfig\)` `O4m9\*+g3wq`
	return s3.New(sess, minioConfig())
}

// A package variable without an endpoint in sight: any code of the package
// may still set one.
var sharedCfg = aws.NewConfig().WithRegion("eu-west-1")

func sharedConfig() *s3.S3 {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("AKIAMG5B3QI3Z2QM7LEB", "Fr7ygbewmxSPqG0LRMOWHAyI4CC/w6p+wbZMr4fB", "")})) // want `AKIA\*+7LEB .*no automatic fix: the credentials go with the package variable sharedCfg, given to s3.New, which keyscan cannot read whole` `Fr7y\*+r4fB`
	return s3.New(sess, sharedCfg)
}

// The session's own config starts from an unreadable value.
func startsElsewhere() *session.Session {
	cfg := minioConfig()
	cfg.Credentials = credentials.NewStaticCredentials("AKIAZHDDH7AAKZ3TXGHF", "szoKDbR+nmMOjTyVJN4cGoddOeed15bS4Q6/dbmw", "") // want `AKIA\*+XGHF .*custom endpoint \(Endpoint, in minioConfig\)` `szoK\*+dbmw`
	return session.Must(session.NewSession(cfg))
}

// A parameter every caller in the package gives: one caller points its
// config at MinIO by a method call.
func newS3(cfgs ...*aws.Config) *s3.S3 {
	sess := session.Must(session.NewSession(&aws.Config{Credentials: credentials.NewStaticCredentials("AKIA5TYQRJZX2ZBY6YJ6", "Vu+cM6TUD/jV8+80Po5G3u6F8ttd2x6iEEZWIVIy", "")})) // want `AKIA\*+6YJ6 .*custom endpoint \(WithEndpoint, in useMinio\)` `Vu\+c\*+IVIy`
	return s3.New(sess, cfgs...)
}

func useMinio() *s3.S3 {
	local := aws.NewConfig()
	local.WithEndpoint("http://minio:9000")
	return newS3(local)
}
