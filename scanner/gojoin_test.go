package scanner_test

import (
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/scanner"
)

// TestGoJoins is qa19 M6 for the byte scan (keyscan history and staged,
// where nothing is type-checked): a key split over strings.Join with an
// empty delimiter, fmt.Sprint, or fmt.Sprintf whose format is one %s or %v
// per literal is one value; a join with a delimiter, a format with text or
// a blank between the verbs, and a verb count that differs are not.
func TestGoJoins(t *testing.T) {
	sc := newScanner(t, scanner.Options{})
	for seed := uint64(1); seed <= 5; seed++ {
		g := fakekey.New(seed)
		id, secret := g.KeyID("AKIA"), g.Secret()
		a, b, c, d := id[:8], id[8:], secret[:20], secret[20:]
		for _, text := range []string{
			"var keyID = strings.Join([]string{\"" + a + "\", \"" + b + "\"}, \"\")\nvar secretAccessKey = strings.Join([]string{\"" + c + "\", \"" + d + "\"}, \"\")\n",
			"var accessKeyID = strings.Join([]string{\n\t\"" + a + "\",\n\t\"" + b + "\",\n}, \"\")\n\nvar awsSecretAccessKey = strings.Join([]string{\n\t\"" + c[:9] + "\",\n\t\"" + c[9:] + "\",\n\t\"" + d + "\",\n}, ``)\n",
			"cfg := Config{\n\tAccessKeyID: fmt.Sprintf(\"%s%s\", \"" + a + "\", \"" + b + "\"),\n\tSecretAccessKey: fmt.Sprintf(\"%v%s%s\", \"" + c[:5] + "\", \"" + c[5:] + "\", \"" + d + "\"),\n}\n",
			"const keyID, secret = \"\", \"\"\n\nvar id = fmt.Sprint(\"" + a + "\", \"" + b + "\")\nvar awsSecretAccessKey = fmt.Sprint(\"" + c + "\",\n\t\"" + d + "\")\n",
		} {
			fs := sc.Scan("creds.go", []byte("package creds\n\n"+text))
			if !hasSecret(fs, id) || !hasSecret(fs, secret) {
				t.Errorf("seed %d: %q: %v, want both keys", seed, text, summarize(fs))
			}
		}
		for _, text := range []string{
			"var keyID = strings.Join([]string{\"" + a + "\", \"" + b + "\"}, \"-\")\nvar secretAccessKey = strings.Join([]string{\"" + c + "\", \"" + d + "\"}, \",\")\n",
			"var keyID = fmt.Sprintf(\"%s %s\", \"" + a + "\", \"" + b + "\")\nvar secretAccessKey = fmt.Sprintf(\"%s:%s\", \"" + c + "\", \"" + d + "\")\n",
			"var keyID = fmt.Sprintf(\"%s%s%s\", \"" + a + "\", \"" + b + "\")\nvar secretAccessKey = fmt.Sprintf(\"%s\", \"" + c + "\", \"" + d + "\")\n",
			"var keyID = fmt.Sprintln(\"" + a + "\", \"" + b + "\")\nvar secretAccessKey = myJoin([]string{\"" + c + "\", \"" + d + "\"}, \"\")\n",
		} {
			if fs := sc.Scan("creds.go", []byte("package creds\n\n"+text)); len(fs) != 0 {
				t.Errorf("seed %d: %q: %v, want nothing", seed, text, summarize(fs))
			}
		}
	}
}
