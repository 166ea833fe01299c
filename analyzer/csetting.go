package analyzer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/internal/lazyre"
)

// A cgo package can set the environment from C: its preamble or a C file
// beside it calls setenv("AWS_ENDPOINT_URL", …) before the Go client is
// built, and the v2 SDK reads it as it reads os.Setenv's (fix26: go fix
// moved such a client to the instance role). The Go files the pass holds
// are cgo's output, without the preamble, so the text of the package's
// own Go files that import "C" and of its C, C++ and Objective-C files is
// read for a call that sets a variable.

// cSetenv matches a C call that sets an environment variable, and the
// variable's name when it is a string literal (putenv's "NAME=value" too).
var cSetenv = lazyre.New(`\b(?:setenv|putenv|_putenv|_putenv_s|_wputenv|_wputenv_s|SetEnvironmentVariable[AW]?)\s*\(\s*(?:L?"([^"=]*))?`)

// cSources are the files of a package's folder whose text cSetting reads.
var cSources = []string{"*.go", "*.c", "*.h", "*.cc", "*.cpp", "*.cxx", "*.hh", "*.hpp", "*.hxx", "*.m"}

// cSetting returns, marked as envWrite marks it, the first environment
// setting that C code of the package in dir makes that keep keeps: a
// variable of envWrite's, or one whose name is not a literal (it may be
// any of them); "" when none.
func (c *checker) cSetting(dir string, keep settingFilter) string {
	for _, pat := range cSources {
		names, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, name := range names {
			if c.excluded(name) {
				continue
			}
			b := c.readFile(name)
			if strings.HasSuffix(name, ".go") && (strings.HasSuffix(name, "_test.go") || !bytes.Contains(b, []byte(`"C"`))) {
				continue
			}
			for _, m := range cSetenv.FindAllSubmatchIndex(b, -1) {
				if why := cWrite(b, m, name); keep.keeps(why) {
					return why
				}
			}
		}
	}
	return ""
}

// cWrite is envWrite's answer for the C call cSetenv matched at m in b
// (the file name).
func cWrite(b []byte, m []int, name string) string {
	call := strings.TrimRight(string(b[m[0]:m[1]]), " \t\n(\"L")
	if i := strings.IndexByte(call, '('); i >= 0 {
		call = strings.TrimSpace(call[:i])
	}
	where := fmt.Sprintf("%s in C at %s:%d", call, filepath.Base(name), 1+bytes.Count(b[:m[0]], []byte("\n")))
	if m[2] < 0 {
		return opaqueMark + "an environment variable whose name keyscan cannot read, set by " + where
	}
	v := strings.ToUpper(string(b[m[2]:m[3]]))
	switch {
	case strings.HasPrefix(v, "AWS_ENDPOINT_URL"):
		return endpointMark + v + ", set by " + where
	case v == "AWS_PROFILE" || v == "AWS_CONFIG_FILE" || v == "AWS_SHARED_CREDENTIALS_FILE":
		return profileMark + v + ", set by " + where
	case v == "AWS_EC2_METADATA_DISABLED":
		return metadataOffMark + v + ", set by " + where
	}
	return ""
}
