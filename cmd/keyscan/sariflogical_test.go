package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSARIFLogicalLocations (qa15 LOW-3): a key in a commit's or a tag's
// message, in a ref's name or in the message the commit-msg hook reads is
// in no file of the tree. Its SARIF result says so with a logical location
// and a physical one under .git/, which no file of a tree can have: a file
// of the repository named as the pseudo-path ("commit <id> message") keeps
// its own location, and the log validates against the SARIF 2.1.0 schema.
func TestSARIFLogicalLocations(t *testing.T) {
	requireKeyscanOnPath(t)
	sch := sarifSchema(t)
	g := fakekey.New(2117)
	id, secret := g.KeyID("AKIA"), g.Secret()
	pair := "aws_access_key_id=" + id + " aws_secret_access_key=" + secret

	repo := newCommittedRepo(t)
	gitOK(t, repo, "commit", "-q", "--allow-empty", "-m", "deploy with "+pair)
	head := strings.TrimSpace(gitOK(t, repo, "rev-parse", "HEAD"))
	decoy := "commit " + head[:12] + " message"
	writeRepoFile(t, repo, decoy, pair+"\n")
	gitOK(t, repo, "add", ".")
	gitOK(t, repo, "commit", "-q", "-m", "a file named as a message")
	gitOK(t, repo, "tag", "-a", "v1", "-m", "release "+pair)
	gitOK(t, repo, "branch", "feature/"+id)

	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
		LogicalLocations []struct {
			Name               string `json:"name"`
			FullyQualifiedName string `json:"fullyQualifiedName"`
			Kind               string `json:"kind"`
		} `json:"logicalLocations"`
	}
	results := func(out string) []location {
		t.Helper()
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("SARIF does not validate: %v", err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []location `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		var locs []location
		for _, r := range log.Runs[0].Results {
			if len(r.Locations) != 1 {
				t.Fatalf("a result with %d locations, want 1", len(r.Locations))
			}
			locs = append(locs, r.Locations[0])
		}
		return locs
	}

	r := keyscanIn(t, repo, "history", "--format", "sarif", ".")
	if r.code != 1 {
		t.Fatalf("history: exit %d, want 1\n%s", r.code, r.stderr)
	}
	kinds := map[string]int{}
	for _, l := range results(r.stdout) {
		uri := l.PhysicalLocation.ArtifactLocation.URI
		if len(l.LogicalLocations) == 0 {
			if uri != strings.ReplaceAll(decoy, " ", "%20") {
				t.Errorf("a result at %q with no logical location", uri)
			}
			kinds["file"]++
			continue
		}
		ll := l.LogicalLocations[0]
		kinds[ll.Kind]++
		if !strings.HasPrefix(uri, ".git/") || l.PhysicalLocation.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: physical location %q, want one under .git/", ll.Name, uri)
		}
		if strings.Contains(uri, id) || strings.Contains(ll.Name, id) {
			t.Errorf("%s: the key ID stands in the location %q", ll.Name, uri)
		}
		if ll.Kind == "commitMessage" && ll.FullyQualifiedName != "commit "+head+" message" {
			t.Errorf("commit message: fullyQualifiedName %q, want the whole commit ID", ll.FullyQualifiedName)
		}
		if l.PhysicalLocation.Region.StartLine != 1 {
			t.Errorf("%s: line %d, want 1", ll.Name, l.PhysicalLocation.Region.StartLine)
		}
	}
	if kinds["commitMessage"] != 2 || kinds["tagMessage"] != 2 || kinds["refName"] != 1 || kinds["file"] != 2 {
		t.Errorf("results by location kind %v, want the message's pair, the tag's pair, the ref's key ID and the file's pair", kinds)
	}

	// The commit-msg hook's message.
	msg := filepath.Join(t.TempDir(), "COMMIT_EDITMSG")
	if err := os.WriteFile(msg, []byte("deploy\n\n"+pair+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = keyscanIn(t, repo, "staged", "--message", msg, "--format", "sarif")
	locs := results(r.stdout)
	if r.code != 1 || len(locs) != 2 {
		t.Fatalf("staged --message: exit %d, %d results, want 1 and 2\n%s", r.code, len(locs), r.stderr)
	}
	for _, l := range locs {
		if uri := l.PhysicalLocation.ArtifactLocation.URI; uri != ".git/commit%20message" || len(l.LogicalLocations) != 1 ||
			l.LogicalLocations[0].Kind != "commitMessage" || l.PhysicalLocation.Region.StartLine != 3 {
			t.Errorf("staged --message: location %+v", l)
		}
	}
}
