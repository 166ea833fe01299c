package fix

import "testing"

// TestMetadataOffSet: a write of true, or of a value not written out,
// turns the instance metadata service off; a read, a write of false and a
// comment do not (review15 C-1, C-7).
func TestMetadataOffSet(t *testing.T) {
	on := []string{
		`os.environ["AWS_EC2_METADATA_DISABLED"] = "true"`,
		`os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")`,
		`os.environ.update(AWS_EC2_METADATA_DISABLED="True")`,
		`process.env.AWS_EC2_METADATA_DISABLED = 'true';`,
		`process.env["AWS_EC2_METADATA_DISABLED"] = offline;`,
		`	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")`,
		`	os.Setenv("AWS_EC2_METADATA_DISABLED", cfg.IMDSOff)`,
		`ENV["AWS_EC2_METADATA_DISABLED"] = "true"`,
		`putenv("AWS_EC2_METADATA_DISABLED=true");`,
		`Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");`,
		`    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");`,
		`pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");`,
	}
	off := []string{
		`if os.environ.get("AWS_EC2_METADATA_DISABLED"):`,
		`x = os.getenv("AWS_EC2_METADATA_DISABLED", "true")`,
		`os.environ["AWS_EC2_METADATA_DISABLED"] = "false"`,
		`# os.environ["AWS_EC2_METADATA_DISABLED"] = "true"`,
		`	// os.Setenv("AWS_EC2_METADATA_DISABLED", "true")`,
		`	os.Setenv("AWS_EC2_METADATA_DISABLED", "false")`,
		`	v := os.Getenv("AWS_EC2_METADATA_DISABLED")`,
		`if os.environ["AWS_EC2_METADATA_DISABLED"] == "true":`,
		`ENV.fetch("AWS_EC2_METADATA_DISABLED", "true")`,
	}
	for _, s := range on {
		if metadataOffSet([]byte("x = 1\n"+s+"\n")) == "" {
			t.Errorf("not seen as turning the metadata service off: %s", s)
		}
	}
	for _, s := range off {
		if w := metadataOffSet([]byte("x = 1\n" + s + "\n")); w != "" {
			t.Errorf("taken for turning the metadata service off: %s (%s)", s, w)
		}
	}
}
