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
		// review15 C2-1, C2-2: a quoted key at a line's start is no VB
		// comment; a name held in a constant, or a subscript split over
		// lines, is written where the line cannot tell; Ruby's ||=.
		"os.environ.update({\n    'AWS_EC2_METADATA_DISABLED': 'true',\n})",
		`const k = "AWS_EC2_METADATA_DISABLED"`,
		`VAR = 'AWS_EC2_METADATA_DISABLED'`,
		"os.environ[\n    'AWS_EC2_METADATA_DISABLED'\n] = 'true'",
		`ENV["AWS_EC2_METADATA_DISABLED"] ||= "true"`,
		// fix24: the SDKs' own switches, which do not name the variable.
		`System.setProperty("aws.disableEc2Metadata", "true");`,
		`System.setProperty("com.amazonaws.sdk.disableEc2Metadata", "true");`,
		`CMD ["java", "-Daws.disableEc2Metadata=true", "-jar", "app.jar"]`,
		`	cfg, err := config.LoadDefaultConfig(ctx, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))`,
		"\tconfig.WithEC2IMDSClientEnableState(\n\t\timds.ClientDisabled,\n\t),",
		`	o.EC2IMDSClientEnableState = imds.ClientDisabled`,
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
		`System.setProperty("aws.disableEc2Metadata", "false");`,
		`String off = System.getProperty("aws.disableEc2Metadata");`,
		`	if state == imds.ClientDisabled {`,
		`	// config.WithEC2IMDSClientEnableState(imds.ClientDisabled)`,
		`ENV.fetch("AWS_EC2_METADATA_DISABLED", "true")`,
		`' VB: AWS_EC2_METADATA_DISABLED is set by the installer`,
		`AWS_EC2_METADATA_DISABLED =false`,
	}
	// fix23: where keyscan cannot tell a write from a read, the keys stay
	// (not sure): the name as a helper's argument, or in a list of names.
	maybe := []string{
		`set_env_flag("AWS_EC2_METADATA_DISABLED")`,
		`	disableIMDS("AWS_EC2_METADATA_DISABLED")`,
		"for k in [\"AWS_EC2_METADATA_DISABLED\", \"AWS_SDK_LOAD_CONFIG\"]:\n    os.environ[k] = \"true\"",
		"for k in [\"OTHER\", \"AWS_EC2_METADATA_DISABLED\"]:\n    os.environ[k] = \"true\"",
		"names := []string{\n\t\"AWS_EC2_METADATA_DISABLED\",\n}",
	}
	off = append(off, `os.unsetenv("AWS_EC2_METADATA_DISABLED")`, `	os.Unsetenv("AWS_EC2_METADATA_DISABLED")`,
		`print("AWS_EC2_METADATA_DISABLED")`, `if "AWS_EC2_METADATA_DISABLED" in os.environ:`, `ENV.delete("AWS_EC2_METADATA_DISABLED")`)
	for _, s := range on {
		if w, sure := metadataOffSet([]byte("x = 1\n" + s + "\n")); w == "" || !sure {
			t.Errorf("not seen as turning the metadata service off: %s (%q, sure %v)", s, w, sure)
		}
	}
	for i, s := range maybe {
		// The last three were held as writes of a value on the next line.
		if w, sure := metadataOffSet([]byte("x = 1\n" + s + "\n")); w == "" || sure && i < 2 {
			t.Errorf("not seen as maybe turning the metadata service off: %s (%q, sure %v)", s, w, sure)
		}
	}
	for _, s := range off {
		if w, _ := metadataOffSet([]byte("x = 1\n" + s + "\n")); w != "" {
			t.Errorf("taken for turning the metadata service off: %s (%s)", s, w)
		}
	}
}

// TestHCLOn: a Terraform switch keeps the keys unless its value is a
// literal false or null (review15 C2-3: a negation, a condition, a
// workspace test or a path/count/self value turns it on in some run).
func TestHCLOn(t *testing.T) {
	for _, m := range []string{"skip_metadata_api_check = true", `skip_metadata_api_check = "true"`, "skip_metadata_api_check = !var.online",
		"skip_metadata_api_check = (var.offline)", `skip_metadata_api_check = terraform.workspace == "ci"`, "s3_use_path_style = count.index > 0",
		"endpoints {", `skip_metadata_api_check = "${var.x}"`} {
		if !hclOn(m) {
			t.Errorf("hclOn(%q) = false", m)
		}
	}
	for _, m := range []string{"skip_metadata_api_check = false", `skip_metadata_api_check = "false"`, "skip_metadata_api_check = null",
		"s3_use_path_style = false // on AWS"} {
		if hclOn(m) {
			t.Errorf("hclOn(%q) = true", m)
		}
	}
	for _, line := range []string{"  skip_metadata_api_check = !var.online", `  skip_metadata_api_check = terraform.workspace == "ci"`} {
		if m := skipMetadata.FindString(line); m == "" || !hclOn(m) {
			t.Errorf("skipMetadata does not hold %q", line)
		}
	}
}
