package scanner

import (
	"bytes"
	"maps"
	"slices"
	"testing"
)

// FuzzFollowRefs: reading a keyword's reference and looking for the
// assignment it names never panics, answers a place inside the data, and
// the one-pass index (indexAssignments) answers as the search does,
// and as the pass over every command (indexAssignmentsAll) does.
func FuzzFollowRefs(f *testing.F) {
	for _, s := range []string{"AWS_SECRET_ACCESS_KEY=${PROD}\nPROD=abc\n", "K: \"$X\"\nexport X='y'", "ENV K $", "K=${", "K=${A:-", "ENV A b\nK=$A", "V=x; echo \"${V}\" | docker secret create aws_secret_access_key -", "set \"T=x\"\r\nsetx K %T%", "DECLARE @s TEXT(4) = N'x';\nK = @s",
		"SET @s = 'x';\nINSERT INTO t (id, aws_secret_access_key) VALUES (1, @s);", "\\set s 'x'\nINSERT INTO t (aws_secret_access_key) VALUES (:'s')", "IFS= read -r s <<< x\nK=$s",
		"export A=1; export X=2\nK=$X", "IFS= IFS= read X <<< y\nK=$X", "''X=y\nK=$X", "DECLARE @ab = 'x'\nK = @a", "X=1 X=2\nK=$X\nX=3",
		"SELECT 'x', 'y' INTO @a, @s FROM DUAL;\nK = @s", "select N'x' into @s; K = @s", "SELECT 'a,b' INTO @s\nINSERT INTO t (aws_secret_access_key) VALUES (@s);"} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, d []byte, at uint8) {
		i := min(int(at), len(d))
		name := refAfter(d, i)
		if k := bytes.Index(d, []byte("aws_secret_access_key")); k >= 0 {
			refNamedAfter(d, &keyword{start: k, end: k + len("aws_secret_access_key")})
			if name == nil {
				name = sqlColumnRef(d, k, k+len("aws_secret_access_key"))
				i = k
			}
		}
		if name == nil {
			return
		}
		v := assignmentOf(d, name, i)
		if v >= len(d) {
			t.Fatalf("value at %d past %d", v, len(d))
		}
		if w := indexAssignments(d, map[string]bool{string(name): true}).of(d, name, i); w != v {
			t.Fatalf("index answers %d for %q at %d, assignmentOf %d", w, name, i, v)
		}
		// The commands found by searching for a few names are those the
		// pass over every command reads (indexAssignmentsAll).
		want := map[string]bool{string(name): true, "X": true, "s": true}
		if got, all := indexAssignments(d, want), indexAssignmentsAll(d, want); !maps.EqualFunc(got, all, slices.Equal) {
			t.Fatalf("searched %v, all %v", got, all)
		}
	})
}
