package history

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
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

// The errors of checkStorage, worded as go-git's Open worded them.
var (
	errNoHead              = errors.New("repository does not exist")
	errFormatVersion       = errors.New("core.repositoryformatversion not supported")
	errExtensionInVersion0 = errors.New("core.repositoryformatversion does not support extension")
	errUnknownExtension    = errors.New("unknown extension")
)

// checkStorage is what go-git's Open checked before it handed back a
// repository, and all keyscan used of it (its refs are read from the
// storage): a HEAD (errNoHead without one), a core.repositoryformatversion
// of 0 or 1, and no extension left in s's configuration (harmless ones are
// taken out by extStorage; go-git knew only noop and noop-v1, which are).
// Importing go-git's top package linked its transports (SSH, HTTP, OpenPGP
// signing) into keyscan, whose package initialisation every run paid: 2.3 M
// instructions, a fifth of the pre-commit hook's start.
func checkStorage(s extStorage) error {
	if _, err := s.Reference(plumbing.HEAD); errors.Is(err, plumbing.ErrReferenceNotFound) {
		return errNoHead
	}
	cfg, err := s.Config()
	if err != nil {
		return err
	}
	v := cfg.Core.RepositoryFormatVersion
	switch v {
	case "", cfgformat.Version_0, cfgformat.Version_1:
	default:
		return fmt.Errorf("%w: %q", errFormatVersion, v)
	}
	if cfg.Raw == nil || !cfg.Raw.HasSection("extensions") {
		return nil
	}
	var names []string
	for _, o := range cfg.Raw.Section("extensions").Options {
		names = append(names, strings.ToLower(o.Key))
	}
	switch {
	case len(names) == 0:
		return nil
	case v == cfgformat.Version_1:
		return fmt.Errorf("%w: %s", errUnknownExtension, strings.Join(names, ", "))
	}
	return fmt.Errorf("%w: %s", errExtensionInVersion0, strings.Join(names, ", "))
}
