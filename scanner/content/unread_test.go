package content

import (
	"context"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
	"github.com/keyscan/keyscan/scanner/archive/archivetest"
)

// TestUnreadMemberNames is qa14 MEDIUM-7: a key ID and a secret in the
// names of members whose data cannot be read (a 7z of PPMd, an encrypted
// 7z and zip, made by the real 7z and zip) are found in the path, as in a
// readable archive's names; the data not read is still a part not
// scanned.
func TestUnreadMemberNames(t *testing.T) {
	sc := newScanner(t)
	g := fakekey.New(4607)
	id, secret := g.KeyID("AKIA"), strings.ReplaceAll(g.Secret(), "/", "x")
	files := []archivetest.File{archivetest.F(id, []byte("hi\n")), archivetest.F("aws_secret_access_key="+secret, []byte("hello\n"))}
	for _, tt := range []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"p.7z", func(t *testing.T) []byte { return archivetest.SevenZip(t, []string{"-m0=PPMd"}, files...) }},
		{"e.7z", func(t *testing.T) []byte { return archivetest.SevenZip(t, []string{"-ppw"}, files...) }},
		{"e.zip", func(t *testing.T) []byte { return archivetest.ZipEncrypted(t, files...) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := Scan(context.Background(), sc, tt.name, tt.data(t), DefaultOptions())
			kinds := map[rules.Kind]bool{}
			for _, f := range r.Findings {
				if f.InPath && strings.HasPrefix(f.File, tt.name+"!") {
					kinds[f.Kind] = true
				}
			}
			if !kinds[rules.AccessKeyID] || !kinds[rules.SecretAccessKey] || r.Archive.Unscanned == 0 {
				t.Errorf("in-path kinds %v, %d parts not scanned; findings %v", kinds, r.Archive.Unscanned, places(r.Findings))
			}
		})
	}
}
