package content

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// TestSQLiteRows (qa31 F7): a row ('PROD', key ID, secret) is stored
// PRODAKIA…<secret>, which the byte scan does not read as a pair; the
// rows of the table, each column under its name, give both, once. A row
// whose key ID has a lower-case neighbour ('prod'), which the byte scan
// finds too, gives each value once, and a file that only starts like a
// database is scanned as bytes. A WITHOUT ROWID table (an index b-tree,
// its key's columns first) gives its rows as well.
func TestSQLiteRows(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
	sc := newScanner(t)
	dir := t.TempDir()
	for i, env := range []string{"PROD", "prod", "EU", "PROD without rowid", "prod without rowid"} {
		g := fakekey.New(3110 + uint64(i))
		id, secret := g.KeyID("AKIA"), g.Secret()
		env, tail, _ := strings.Cut(env, " ")
		if tail != "" {
			tail = ", primary key (env)) " + tail
		} else {
			tail = ")"
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-%d.db", env, i))
		script := `import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("create table credentials (env text, access_key_id text, secret_access_key text` + tail + `")
db.execute("insert into credentials values (?, ?, ?)", sys.argv[2:])
db.commit()
db.close()
`
		if b, err := exec.Command("python3", "-c", script, path, env, id, secret).CombinedOutput(); err != nil {
			t.Fatalf("python3 sqlite3: %v\n%s", err, b)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []bool{false, true} {
			d := data
			if cut {
				// the schema's page cut off: no rows, the bytes still
				// scanned (the lower-case neighbour's pair is found)
				d = slices.Concat(data[:100], make([]byte, 4096-100), data[4096:])
			}
			r := Scan(context.Background(), sc, env+".db", d, DefaultOptions())
			var got []string
			for _, f := range r.Findings {
				got = append(got, f.Secret)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values([]string{id, secret}))
			if cut && env != "prod" {
				want = nil
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s (cut %v): found %d values %v, want %d", env, cut, len(got), r.Findings, len(want))
			}
		}
	}
}
