package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestPickleTwoSecrets is qa14 MEDIUM-14 through the command: a binary
// pickle (python3, protocol 2) of two credential dicts gives both
// secrets. Findings with no line are told apart by their byte offset:
// the report kept one finding per rule of a binary file.
func TestPickleTwoSecrets(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed (.ci/run installs it): not checked")
	}
	g := fakekey.New(2222)
	id1, s1, id2, s2 := g.KeyID("AKIA"), g.Secret(), g.KeyID("AKIA"), g.Secret()
	dir := t.TempDir()
	script := "import pickle,sys\ni1,s1,i2,s2,out=sys.argv[1:6]\n" +
		"k,s='aws_access_key_id','aws_secret_access_key'\n" +
		"open(out,'wb').write(pickle.dumps([{k:i1,s:s1},{k:i2,s:s2}],protocol=2))\n"
	if b, err := exec.Command("python3", "-c", script, id1, s1, id2, s2, filepath.Join(dir, "creds.pkl")).CombinedOutput(); err != nil {
		t.Fatalf("python3: %v\n%s", err, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "creds.pkl")); err != nil {
		t.Fatal(err)
	}
	r := keyscanIn(t, dir, "scan", "--show-secrets", "--format", "json", ".")
	for _, v := range []string{id1, s1, id2, s2} {
		if !strings.Contains(r.stdout, v) {
			t.Errorf("%.8s… not reported (exit %d)\n%s%s", v, r.code, r.stdout, r.stderr)
		}
	}
}
