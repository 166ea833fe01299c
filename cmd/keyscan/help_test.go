package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// runHelp runs keyscan args in the process and returns its exit status and
// what it printed on stdout and stderr together.
func runHelp(args ...string) (int, string) {
	var out bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &out)
	return code, out.String()
}

// fullWriter fails every write, as /dev/full does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// helpAsks returns every way to ask for a command's help: help COMMAND
// [SUB] and COMMAND [SUB] --help, for every command and subcommand.
func helpAsks() [][]string {
	var asks [][]string
	for _, c := range commands() {
		for _, sub := range append([]string{""}, c.subs...) {
			cmd := []string{c.name}
			if sub != "" {
				cmd = append(cmd, sub)
			}
			asks = append(asks, append([]string{"help"}, cmd...), append(slices.Clone(cmd), "--help"), append(slices.Clone(cmd), "-h"))
		}
	}
	return append(asks, []string{"help"}, []string{"--help"}, []string{"help", "help"})
}

// TestHelpStdout (qa36 D1): help asked for is the answer, on stdout, for
// every command and subcommand (help COMMAND, COMMAND --help), stderr
// empty, exit 0; help that cannot be written is exit 2, said on stderr;
// a usage error (an unknown flag, keyscan alone) prints the usage on
// stderr, stdout empty, exit 2.
func TestHelpStdout(t *testing.T) {
	for _, args := range helpAsks() {
		var out, errs bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &out, &errs)
		if code != exitClean || !strings.Contains(strings.ToLower(out.String()), "usage") || errs.Len() > 0 {
			t.Errorf("keyscan %s: exit %d, stdout %d bytes, stderr %q: want the usage on stdout, exit 0", strings.Join(args, " "), code, out.Len(), errs.String())
		}
		errs.Reset()
		if code := run(context.Background(), args, strings.NewReader(""), fullWriter{}, &errs); code != exitError || !strings.Contains(errs.String(), "writing standard output") {
			t.Errorf("keyscan %s >/dev/full: exit %d, stderr %q: want exit 2, said", strings.Join(args, " "), code, errs.String())
		}
	}
	for _, c := range commands() {
		cmd := []string{c.name}
		if len(c.subs) > 0 {
			cmd = append(cmd, c.subs[0])
		}
		args := append(cmd, "--no-such-flag")
		var out, errs bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &out, &errs)
		if code != exitError || out.Len() > 0 || !strings.Contains(errs.String(), "no-such-flag") || !strings.Contains(errs.String(), "usage: keyscan ") {
			t.Errorf("keyscan %s: exit %d, stdout %q, stderr %q: want the error and usage on stderr, exit 2", strings.Join(args, " "), code, out.String(), errs.String())
		}
	}
	var out, errs bytes.Buffer
	if code := run(context.Background(), nil, strings.NewReader(""), &out, &errs); code != exitError || out.Len() > 0 || !strings.Contains(errs.String(), "Usage:") {
		t.Errorf("keyscan alone: exit %d, stdout %q: want the usage on stderr, exit 2", code, out.String())
	}
}

// TestHelp: help is exact (qa34): keyscan help COMMAND and COMMAND --help
// print the command's usage and flags, exit 0; an unknown topic or a word
// past it is an error, exit 2, not the commands' list with exit 0 (which
// reads as the answer to a typo).
func TestHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"help"}, exitClean, "Usage:"},
		{[]string{"--help"}, exitClean, "Usage:"},
		{[]string{"-h"}, exitClean, "Usage:"},
		{[]string{"help", "help"}, exitClean, "Usage:"},
		{nil, exitError, "Usage:"},
		{[]string{"help", "scan"}, exitClean, "usage: keyscan scan"},
		{[]string{"help", "hook"}, exitClean, "Subcommands:"},
		{[]string{"help", "hook", "install"}, exitClean, "-type HOOK"},
		{[]string{"help", "baseline", "history"}, exitClean, "-all-objects"},
		{[]string{"help", "version"}, exitClean, "usage: keyscan version\n"},
		{[]string{"help", "bogus"}, exitError, `unknown command "bogus"`},
		{[]string{"help", "scan", "extra"}, exitError, `unexpected argument "extra"`},
		{[]string{"help", "hook", "bogus"}, exitError, `unknown subcommand "bogus"`},
		{[]string{"help", "hook", "install", "extra"}, exitError, `unexpected argument "extra"`},
		{[]string{"--help", "scan"}, exitError, `unexpected argument "scan"`},
		{[]string{"hook", "--help"}, exitClean, "-force"},
		{[]string{"hook", "bogus"}, exitError, `unknown subcommand "bogus"`},
		{[]string{"hook"}, exitError, "Subcommands:"},
		{[]string{"baseline", "--help"}, exitClean, "-output FILE"},
		{[]string{"version", "extra"}, exitError, `unexpected argument "extra"`},
	} {
		code, out := runHelp(c.args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("keyscan %s: exit %d, want %d with %q:\n%s", strings.Join(c.args, " "), code, c.code, c.want, out)
		}
	}
	if _, out := runHelp("version", "--help"); strings.Contains(out, "Flags:") {
		t.Errorf("keyscan version --help heads an empty list of flags:\n%s", out)
	}
}

// helpFlags returns the flags that keyscan args --help lists.
func helpFlags(t *testing.T, args ...string) []string {
	t.Helper()
	code, out := runHelp(append(args, "--help")...)
	if code != exitClean {
		t.Fatalf("keyscan %s --help: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	var fs []string
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(out, -1) {
		fs = append(fs, m[1])
	}
	return fs
}

// TestHelpFlagsReadme holds every command's and subcommand's --help to
// the README, the
// contract: each flag listed is accepted (parsed before --help, with a
// value where it takes one) and named in the README as --FLAG
// (baseline's list holds its command's flags but those it refuses); each
// subcommand of hook and baseline is listed; and the flags the README
// gives a command (the common flags' table: scan, history, staged; the
// sentences on fix's and fake's) are in that command's --help.
func TestHelpFlagsReadme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(readme)
	for _, c := range commands() {
		for _, sub := range append([]string{""}, c.subs...) {
			cmd := []string{c.name}
			if sub != "" {
				cmd = append(cmd, sub)
			}
			var bools map[string]bool
			code, out := runHelp(append(slices.Clone(cmd), "--help")...)
			if code != exitClean {
				t.Fatalf("keyscan %s --help: exit %d\n%s", strings.Join(cmd, " "), code, out)
			}
			bools = map[string]bool{}
			for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)( \S+)?\n`).FindAllStringSubmatch(out, -1) {
				bools[m[1]] = m[2] == ""
			}
			for f, isBool := range bools {
				if !regexp.MustCompile("--" + regexp.QuoteMeta(f) + "([^a-z0-9-]|$)").MatchString(doc) {
					t.Errorf("keyscan %s --%s is not in the README", c.name, f)
				}
				arg := "--" + f
				if !isBool {
					arg += "=1"
				}
				takes := cmd
				if sub == "" && len(c.subs) > 0 {
					takes = []string{c.name, c.subs[0]} // hook install --force
				}
				if code, out := runHelp(append(slices.Clone(takes), arg, "--help")...); code != exitClean {
					t.Errorf("keyscan %s %s --help: exit %d\n%s", strings.Join(takes, " "), arg, code, out)
				}
			}
			for _, s := range c.subs {
				if !regexp.MustCompile(`(?m)^  ` + s + ` `).MatchString(out) {
					t.Errorf("keyscan %s --help lists no subcommand %s:\n%s", strings.Join(cmd, " "), s, out)
				}
			}
		}
	}
	// The common flags' table: | `--format text\|json\|sarif` | ... |
	at := strings.Index(doc, "Common flags (`scan`, `history` and `staged`")
	if at < 0 {
		t.Fatal("README: no table of common flags")
	}
	table := doc[at:]
	table = table[strings.Index(table, "\n|"):]
	table = table[:strings.Index(table, "\n\n")+1]
	common := regexp.MustCompile("(?m)^\\| `--([a-z0-9-]+)").FindAllStringSubmatch(table, -1)
	if len(common) < 5 {
		t.Fatalf("README: %d common flags read from\n%s", len(common), table)
	}
	for _, cmd := range []string{"scan", "history", "staged"} {
		has := helpFlags(t, cmd)
		for _, m := range common {
			if !slices.Contains(has, m[1]) {
				t.Errorf("README's common flag --%s is not in keyscan %s --help", m[1], cmd)
			}
		}
	}
	for cmd, sentence := range map[string]string{"fix": "`keyscan fix` also takes", "fake": "`keyscan fake` takes flags only"} {
		at := strings.Index(doc, sentence)
		if at < 0 {
			t.Fatalf("README: no %q", sentence)
		}
		para := doc[at:]
		para = para[:strings.Index(para, "\n\n")]
		has := helpFlags(t, cmd)
		for _, m := range regexp.MustCompile("`--([a-z0-9-]+)").FindAllStringSubmatch(para, -1) {
			if !slices.Contains(has, m[1]) {
				t.Errorf("README's --%s of keyscan %s is not in its --help", m[1], cmd)
			}
		}
	}
}

// TestHelpFalse (qa38): --help=false and -h=false ask for no help, as any
// boolean flag set to false asks for nothing: the command runs (Go's flag
// package took them for help, exit 0, and scan scanned nothing); =true is
// help, and a value that is no boolean is a usage error, exit 2.
func TestHelpFalse(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/credentials.ini", []byte(fakeCredsFile(fakekey.New(3801))), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, flag := range []string{"--help=false", "-help=false", "-h=false", "--h=0"} {
		for _, args := range [][]string{{"scan", flag, dir}, {"scan", dir, flag}} {
			code, out := runHelp(args...)
			if code != exitFindings || strings.Contains(strings.ToLower(out), "usage") {
				t.Errorf("keyscan %s: exit %d, output %q: want the scan run, exit 1", strings.Join(args, " "), code, out)
			}
		}
	}
	for _, flag := range []string{"--help=true", "-h=1"} {
		if code, out := runHelp("scan", flag, dir); code != exitClean || !strings.Contains(out, "usage: keyscan scan") {
			t.Errorf("keyscan scan %s: exit %d, output %q: want the help, exit 0", flag, code, out)
		}
	}
	if code, out := runHelp("scan", "--help=maybe", dir); code != exitError || !strings.Contains(out, `invalid boolean value "maybe" for -help`) {
		t.Errorf("keyscan scan --help=maybe: exit %d, output %q: want a usage error, exit 2", code, out)
	}
}
