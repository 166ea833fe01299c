package fix

import (
	"bytes"
	"github.com/keyscan/keyscan/internal/lazyre"
	"strings"
)

// Code that sets AWS_EC2_METADATA_DISABLED to true (os.Setenv, ENV[...]=,
// process.env.X =, putenv("X=true"), Environment.SetEnvironmentVariable,
// env::set_var) turns the instance metadata service off for every SDK of
// the process: moved to the instance role, it has no credentials. A read
// of the variable (os.environ.get, os.Getenv), a write of "false" or a
// comment turns nothing off; a write of a variable may (the keys stay).

// metadataOffRead is what stands before the name on a line that reads
// the variable: a getter's call, with the quote that opens the name.
var metadataOffRead = lazyre.New(`(?i)\b(?:get\w*|fetch|lookup\w*|var(?:_os)?|has_?key\??|key\?|include\?)\s*\(?\s*["'` + "`" + `]?$`)

// metadataOffSep is what follows the name where a value is written to
// it: the name's closing quote or bracket, then =, =>, : or an argument's
// comma (not ==).
var metadataOffSep = lazyre.New("^[\"'`\\]]*\\s*\\]?\\s*(?:=>|\\|\\|=|=(?:[^=]|$)|,|:)")

// metadataOffSet returns the line, shortened, of the first place in a
// source file that sets AWS_EC2_METADATA_DISABLED to true or to a value
// not written out; "" when none does. sure is false when the place only
// names the variable where keyscan cannot tell a write from a read: an
// argument of a call it does not know (a helper, set_env_flag("NAME")) or
// an element of a list of names (for k in ["NAME", ...]: os.environ[k] =
// "true"). The keys stay then too (fix23): a wrong guess there would leave
// the program without credentials.
func metadataOffSet(data []byte) (line string, sure bool) {
	unsure := ""
	for _, name := range metadataOffNames {
		line, sure := metadataOffSetOf(data, []byte(name))
		if sure {
			return line, true
		}
		if unsure == "" {
			unsure = line
		}
	}
	if line := goIMDSOff(data); line != "" {
		return line, true
	}
	return unsure, false
}

// metadataOffNames are the names of the switch: the variable every SDK
// reads, and the Java SDKs' system properties (v2's
// aws.disableEc2Metadata, v1's com.amazonaws.sdk.disableEc2Metadata), set
// by System.setProperty or -D on the command line (fix24: a program that
// turned the service off without naming the variable lost its keys).
var metadataOffNames = []string{metadataOffVar, "aws.disableEc2Metadata", "com.amazonaws.sdk.disableEc2Metadata"}

// goIMDSOff returns the line, shortened, where Go source turns
// aws-sdk-go-v2's instance metadata client off by its own switch
// (config.WithEC2IMDSClientEnableState(imds.ClientDisabled), a
// LoadOptions' EC2IMDSClientEnableState or imds.Options' ClientEnableState
// set to it); "" when none does. A comparison with it is no switch.
func goIMDSOff(data []byte) string {
	const off = "imds.ClientDisabled"
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte(off))
		if i < 0 {
			return ""
		}
		i += at
		at = i + len(off)
		start := bytes.LastIndexByte(data[:i], '\n') + 1
		before := strings.TrimSpace(string(data[start:i]))
		if strings.HasPrefix(before, "//") || strings.HasPrefix(before, "*") || strings.HasSuffix(before, "==") || strings.HasSuffix(before, "!=") ||
			strings.HasPrefix(before, "case") {
			continue
		}
		end := len(data)
		if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
			end = i + j
		}
		return shorten(string(data[start:end]))
	}
}

// metadataOffSetOf is metadataOffSet for one name of the switch.
func metadataOffSetOf(data, name []byte) (line string, sure bool) {
	unsure := ""
	for at := 0; ; {
		i := bytes.Index(data[at:], name)
		if i < 0 {
			return unsure, false
		}
		i += at
		at = i + len(name)
		start := bytes.LastIndexByte(data[:i], '\n') + 1
		end := len(data)
		if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
			end = i + j
		}
		line := string(data[start:end])
		before := string(data[start:i])
		t := strings.TrimSpace(before)
		quoted := strings.HasSuffix(t, "'") && at < len(data) && data[at] == '\'' // 'NAME', not a VB comment
		if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/*") || strings.HasPrefix(t, "*") ||
			strings.HasPrefix(t, "'") && !strings.Contains(t[1:], "'") && !quoted {
			continue // a comment
		}
		if metadataOffRead.MatchString(before) {
			continue
		}
		after := string(data[at:end])
		loc := metadataOffSep.FindStringIndex(after)
		if loc == nil {
			if heldName(t, after) {
				return shorten(line), true
			}
			if unsure == "" && (listedName(t, after) || helperArg(t, after)) {
				unsure = shorten(line)
			}
			continue
		}
		v := strings.TrimSpace(after[loc[1]:])
		if m := after[loc[0]:loc[1]]; !strings.ContainsRune("=>,:", rune(m[len(m)-1])) {
			v = strings.TrimSpace(after[loc[1]-1:]) // the byte after = was the value's first
		}
		if metadataOffTrue(v) {
			return shorten(line), true
		}
		if unsure == "" && listedName(t, after) {
			unsure = shorten(line)
		}
	}
}

// envNameLit matches a string literal that holds a variable's name.
var envNameLit = lazyre.New(`^[\s,]*["'` + "`" + `][A-Z][A-Z0-9_]*["'` + "`" + `]`)

// listedName reports whether the name, a string literal between before
// (trimmed) and after on its line, is an element of a list of names:
// after an opening bracket or a comma, or before a comma and another
// name (["NAME", "OTHER"]).
func listedName(before, after string) bool {
	if before == "" || !strings.ContainsRune("\"'`", rune(before[len(before)-1])) || after == "" || after[0] != before[len(before)-1] {
		return false
	}
	b := strings.TrimSpace(before[:len(before)-1])
	rest := after[1:]
	return strings.HasSuffix(b, "[") && !strings.HasPrefix(strings.TrimSpace(rest), "]") || // not a subscript: ["NAME"]
		strings.HasSuffix(b, ",") || strings.HasSuffix(b, "{") && strings.HasPrefix(strings.TrimSpace(rest), ",") ||
		strings.HasPrefix(strings.TrimSpace(rest), ",") && envNameLit.MatchString(strings.TrimSpace(rest))
}

// notWrites are the calls that take a variable's name and do not set it
// (or unset it, which turns nothing off).
var notWrites = lazyre.New(`(?i)\b(?:unset\w*|delete\w*|del|pop|remove\w*|clear\w*|contains\w*|has\w*|includes?|in|equals\w*|` +
	`print\w*|puts|log\w*|debug|info|warn\w*|error|assert\w*|require|isset|exists?|defined)\s*\(\s*["'` + "`" + `]$`)

// helperArg reports whether the name, a string literal between before
// (trimmed) and after on its line, is the one argument of a call keyscan
// does not know as a getter or as one that does not write:
// set_env_flag("NAME"), disable('NAME'), which may set it to true.
func helperArg(before, after string) bool {
	if before == "" || after == "" || after[0] != before[len(before)-1] || !strings.ContainsRune("\"'`", rune(after[0])) {
		return false
	}
	b := strings.TrimSpace(before[:len(before)-1])
	return strings.HasSuffix(b, "(") && strings.HasPrefix(strings.TrimSpace(after[1:]), ")") && !notWrites.MatchString(before)
}

// heldName reports whether the name, between before (trimmed) and after
// on its line, is a string literal held for a write elsewhere: assigned
// to a constant or variable (const k = "NAME", then os.Setenv(k, "true")),
// or alone on its line (a subscript split over lines). Where and what is
// written cannot be told from the line, so the keys stay.
func heldName(before, after string) bool {
	if before == "" {
		return false
	}
	q := before[len(before)-1]
	if q != '"' && q != '\'' && q != '`' {
		return false
	}
	a := strings.TrimSpace(after)
	if a == "" || a[0] != q || strings.Trim(a[1:], " \t\r;,)") != "" {
		return false
	}
	b := strings.TrimSpace(before[:len(before)-1])
	return b == "" || strings.HasSuffix(b, "=") || strings.HasSuffix(b, ":") || strings.HasSuffix(b, "[")
}

// metadataOffTrue reports whether the value written, the text that
// follows the separator, is true or not a literal (a variable, a call):
// the SDKs take "true" in any case as on, anything else as off.
func metadataOffTrue(v string) bool {
	if v == "" {
		return true // on the next line: not read, the keys stay
	}
	if q := v[0]; q == '"' || q == '\'' || q == '`' {
		end := strings.IndexByte(v[1:], q)
		if end < 0 {
			return true
		}
		lit := v[1 : 1+end]
		return strings.EqualFold(lit, "true") || strings.ContainsAny(lit, "$%{")
	}
	word := v
	if n := strings.IndexFunc(v, func(r rune) bool {
		return !(r == '_' || r == '.' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}); n >= 0 {
		word = v[:n]
	}
	switch strings.ToLower(word) {
	case "true":
		return true
	case "false", "none", "nil", "null", "undefined", "0", "1", "no", "off", "yes", "on":
		return false
	}
	return word != "" || !strings.ContainsAny(v[:1], ")]};")
}
