package history

import (
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/config"
	cfgformat "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// go-git's Open refuses a repository whose configuration sets an
// extension it does not implement itself, and it knows almost none
// (lower-casing the names, it does not even match the ones it lists as
// valid in format version 0). git sets extensions.worktreeConfig for every
// sparse checkout (git sparse-checkout, actions/checkout's sparse-checkout)
// and many linked-worktree setups, extensions.preciousObjects in shared
// object pools: refusing them would refuse the repository for nothing. An
// extension changes how git reads the repository, so each is judged by what
// keyscan reads, objects (internal/gitobj) and refs (go-git):
//
//   - noop, noop-v1, worktreeconfig (per-worktree configuration: keyscan
//     reads no setting it would move), preciousobjects (git must not delete
//     objects: keyscan deletes nothing), relativeworktrees (the gitdir
//     files hold relative paths, which gitobj.ReadGitFile reads),
//     partialclone (objects may be missing: counted as unreadable, and
//     Result.Partial says why), objectformat = sha1 and refstorage = files
//     (git's defaults, written out) are taken out of what go-git checks;
//   - objectformat = sha256 is refused before (gitobj.CheckFormat), and
//     refstorage = reftable, or any other extension, is refused with a
//     message that names it.
var harmlessExtensions = map[string]string{
	"noop":              "",
	"noop-v1":           "",
	"worktreeconfig":    "",
	"preciousobjects":   "",
	"relativeworktrees": "",
	"partialclone":      "",
	"objectformat":      "sha1",
	"refstorage":        "files",
}

// extStorage is the repository's storage as go-git's Open sees it: its
// configuration without the harmless extensions (see above).
type extStorage struct {
	*filesystem.Storage
}

func (s extStorage) Config() (*config.Config, error) {
	cfg, err := s.Storage.Config()
	if err != nil || cfg.Raw == nil || !cfg.Raw.HasSection("extensions") {
		return cfg, err
	}
	sec := cfg.Raw.Section("extensions")
	sec.Options = slices.DeleteFunc(sec.Options, func(o *cfgformat.Option) bool {
		want, ok := harmlessExtensions[strings.ToLower(o.Key)]
		return ok && (want == "" || strings.EqualFold(strings.TrimSpace(o.Value), want))
	})
	return cfg, nil
}

// extensionError explains go-git's refusal of an extension.
func extensionError(err error) error {
	return fmt.Errorf("%w (an extension that changes how git reads objects or refs, which keyscan does not read: "+
		"extensions.refStorage = reftable among them; `git refs migrate --ref-format=files` converts reftable refs)", err)
}
