package winsw

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const service = "\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + `<!-- installed with: app.exe install -->
<service>
  <id>uploader</id>
  <executable>%BASE%\uploader.exe</executable>
  <env name="LANG" value="C"/>
  <!-- <env name="AWS_ENDPOINT_URL" value="http://old:9000"/> -->
  <env
    value='http://minio.local:9000/?a=1&amp;b=2'
    name="AWS_ENDPOINT_URL" />
  <environment name="not-an-env" value="x"/>
  <env name="EMPTY"></env>
</service>
`

func TestVars(t *testing.T) {
	got := Vars([]byte(service))
	want := []Var{
		{Name: "LANG", Value: "C"},
		{Name: "AWS_ENDPOINT_URL", Value: "http://minio.local:9000/?a=1&b=2"},
		{Name: "EMPTY"},
	}
	for i := range got {
		if !bytes.HasPrefix([]byte(service[got[i].Offset:]), []byte("<env")) {
			t.Errorf("%+v: offset not at its <env", got[i])
		}
		got[i].Offset = 0
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Vars (-want +got):\n%s", d)
	}
	if s := string(Settings([]byte(service))); !strings.Contains(s, "AWS_ENDPOINT_URL = http://minio.local:9000/?a=1&b=2\n") {
		t.Errorf("Settings = %q", s)
	}
}

func TestIISSettings(t *testing.T) {
	const web = `<configuration><system.webServer><aspNetCore processPath="dotnet">
  <environmentVariables>
    <environmentVariable name="ASPNETCORE_ENVIRONMENT" value="Production" />
    <environmentVariable name="AWS_ENDPOINT_URL" value="http://minio.local:9000" />
  </environmentVariables>
</aspNetCore></system.webServer></configuration>`
	if got, want := string(IISSettings([]byte(web))), "ASPNETCORE_ENVIRONMENT = Production\nAWS_ENDPOINT_URL = http://minio.local:9000\n"; got != want {
		t.Errorf("IISSettings = %q, want %q", got, want)
	}
}

func TestRunConfiguration(t *testing.T) {
	const run = `<component name="ProjectRunConfigurationManager">
  <configuration default="false" name="app" type="PythonConfigurationType">
    <envs>
      <env name="AWS_ENDPOINT_URL" value="http://minio.local:9000" />
    </envs>
  </configuration>
</component>`
	if !RunConfiguration([]byte(run)) || RunConfiguration([]byte(service)) {
		t.Error("RunConfiguration tells a run configuration from a service wrongly")
	}
	if got := string(Settings([]byte(run))); got != "AWS_ENDPOINT_URL = http://minio.local:9000\n" {
		t.Errorf("Settings = %q", got)
	}
}

func TestService(t *testing.T) {
	for _, tc := range []struct {
		data string
		want bool
	}{
		{service, true},
		{"<service><id>a</id><executable>a.exe</executable></service>", true},
		{"<service>\n<env name=\"A\" value=\"b\"/>\n</service>", true},
		{"<project><env name=\"AWS_ENDPOINT_URL\" value=\"x\"/></project>", false}, // an Ant build
		{"<services><executable>a</executable></services>", false},
		{"<service><id>a</id></service>", false},
		{"<!-- unclosed", false},
		{"", false},
	} {
		if got := Service([]byte(tc.data)); got != tc.want {
			t.Errorf("Service(%q) = %v, want %v", tc.data, got, tc.want)
		}
	}
}

// TestVarsLinear: elements without ends, attributes without quotes and
// unclosed comments are read in time linear in the input (a quadratic
// reading of 4 MiB would not end within the test's timeout).
func TestVarsLinear(t *testing.T) {
	for _, unit := range []string{"<env ", "<env name=\"a", "<env name=", "<env a b c ", "<!-- <env", "<env name='a' value='b'", "<env =\"\" "} {
		data := bytes.Repeat([]byte(unit), (4<<20)/len(unit))
		Vars(data)
		Service(data)
	}
}

func FuzzVars(f *testing.F) {
	f.Add([]byte(service))
	f.Add([]byte("<env name='a' value=\"b\"><!-- <env name='c'/> --><env name=d value='e'/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := -1
		for _, v := range Vars(data) {
			if v.Offset <= last || v.Offset >= len(data) || !bytes.HasPrefix(data[v.Offset:], []byte("<env")) {
				t.Fatalf("var %+v out of order or not at an <env", v)
			}
			last = v.Offset
		}
		Settings(data)
		IISSettings(data)
		Service(data)
	})
}
