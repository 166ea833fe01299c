package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestStdoutLost runs keyscan with its standard output closed (`>&-`) and
// on a full disk (/dev/full): every command whose output is lost exits 2 and
// says so on stderr, whatever the format (qa7 LOW-20: a closed stdout was
// exit 1 with nothing said, the Go runtime having put /dev/null there).
// `>/dev/null` is the user's choice and stays as it was.
func TestStdoutLost(t *testing.T) {
	requireKeyscanOnPath(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "credentials"), []byte(fakeCredsFile(fakekey.New(2020))), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, _ := keyInOldCommit(t, 2021)
	cmds := [][]string{
		{"scan", dir},
		{"scan", "--format", "json", dir},
		{"scan", "--format", "sarif", dir},
		{"history", repo},
		{"history", "--format", "json", repo},
		{"baseline", "scan", dir},
		{"fix", "--diff", dir},
		{"rules"},
		{"rules", "--format", "json"},
		{"fake"},
		{"version"},
		{"--help"},
	}
	_, full := os.Stat("/dev/full")
	for _, args := range cmds {
		for _, redirect := range []string{">&-", ">/dev/full"} {
			if redirect == ">/dev/full" && full != nil {
				continue
			}
			cmd := exec.Command("sh", "-c", `keyscan "$@" `+redirect, "sh")
			cmd.Args = append(cmd.Args, args...)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitError {
				t.Errorf("keyscan %s %s: %v, want exit 2; stderr:\n%s", strings.Join(args, " "), redirect, err, errb.String())
				continue
			}
			want := "standard output is closed"
			if redirect != ">&-" {
				want = "no space left on device"
			}
			// README: "keyscan: writing report: ..." (or "writing
			// standard output") in every command (newuser LOW-28).
			if !strings.Contains(errb.String(), want) || !strings.Contains(errb.String(), "keyscan: writing ") {
				t.Errorf("keyscan %s %s: stderr does not say %q:\n%s", strings.Join(args, " "), redirect, want, errb.String())
			}
		}
	}
	// Sent to /dev/null on purpose: the status is the findings'.
	cmd := exec.Command("sh", "-c", `keyscan scan "$1" >/dev/null`, "sh", dir)
	var ee *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != exitFindings {
		t.Errorf("keyscan scan >/dev/null: %v, want exit 1", err)
	}
}
