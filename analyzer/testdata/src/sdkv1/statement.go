package sdkv1

import (
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
)

// WithCredentials used as a statement: the whole statement goes (a bare
// cfg would not compile).
func statement() *session.Session {
	cfg := aws.NewConfig().WithRegion("us-east-1")
	cfg.WithCredentials(credentials.NewStaticCredentials("AKIALVAIE7REVBWGHK7B", "cu/hf1ds+GJUgpG4vNlE5ZjgMbWiiLRUnAM0ofxG", "")) // want `AKIA\*+HK7B .*removes the WithCredentials statement, so the default credential chain applies` `cu/h\*+ofxG .*removes the WithCredentials statement`
	return session.Must(session.NewSession(cfg))
}

// On a session's Config, the same.
func onSession(sess *session.Session) {
	sess.Config.WithCredentials(credentials.NewStaticCredentials("AKIAX3O6WWLQUJTHYIBY", "m1zH4ErE/a35dr+JQP5F/70gNnG3qN8XwzHuJinx", "")) // want `AKIA\*+YIBY .*the config leaves this function \(a parameter` `m1zH\*+Jinx`
}

// cfg = cfg.WithCredentials(...) would become a self-assignment: the
// statement goes.
func selfAssign() *aws.Config {
	cfg := aws.NewConfig()
	cfg = cfg.WithCredentials(credentials.NewStaticCredentials("AKIAVDTH53IL3ZJJROIH", "hS7TdN/JJezFRrtvmARxo19xS4Y5iven/cIs1B+T", "")) // want `AKIA\*+ROIH .*removes the assignment` `hS7T\*+1B\+T`
	return cfg
}

// A custom endpoint: the keys are another service's, no fix.
func endpoint() (*session.Session, error) {
	return session.NewSession(&aws.Config{
		Endpoint:    aws.String("http://localhost:4566"),
		Credentials: credentials.NewStaticCredentials("AKIADVLUNV3C7RTGNT6Y", "QWjrHyB/hWS72NUIFx+qPnVCWU17YW8K/NlhHlFg", ""), // want `AKIA\*+NT6Y .*custom endpoint \(Endpoint\)` `QWjr\*+HlFg`
	})
}

func withEndpoint() *aws.Config {
	return aws.NewConfig().WithEndpoint("http://ceph.internal").WithCredentials(credentials.NewStaticCredentials("AKIADUSZ5OOQMUFAI4DB", "0r32fJsV+6MRmnjSJFJ++Mf+gUj7+/x9ZwaJKcyf", "")) // want `AKIA\*+I4DB .*custom endpoint \(WithEndpoint\)` `0r32\*+Kcyf`
}
