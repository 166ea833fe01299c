package history

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/helper/mount"
	"github.com/go-git/go-billy/v5/helper/polyfill"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// objectDir is an object directory other than the repository's own: one of
// Options.ObjectDirs or of objects/info/alternates. Its packs are read like
// the repository's; its loose objects through a go-git storage that sees
// the directory as the objects folder of a repository.
type objectDir struct {
	path  string
	fs    billy.Filesystem // the directory itself
	store *filesystem.Storage
}

// addObjectDirs makes the objects in dirs and in the repository's
// objects/info/alternates readable, dirs first.
func (r *repo) addObjectDirs(dirs []string) {
	seen := map[string]bool{}
	own, _ := filepath.Abs(filepath.Join(r.fs.Root(), "objects"))
	seen[own] = true
	var add func(dir string, depth int)
	add = func(dir string, depth int) {
		abs, err := filepath.Abs(dir)
		if err != nil || seen[abs] || depth > 5 {
			return
		}
		seen[abs] = true
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return
		}
		fs := osfs.New(abs)
		store := filesystem.NewStorageWithOptions(polyfill.New(mount.New(memfs.New(), "objects", fs)), cache.NewObjectLRU(8*cache.MiByte), filesystem.Options{KeepDescriptors: true})
		r.dirs = append(r.dirs, &objectDir{path: abs, fs: fs, store: store})
		for _, alt := range alternates(abs) {
			add(alt, depth+1)
		}
	}
	for _, d := range dirs {
		add(d, 0)
	}
	for _, alt := range alternates(own) {
		add(alt, 1)
	}
}

// alternates reads dir/info/alternates: one object directory a line,
// relative ones to dir.
func alternates(dir string) []string {
	f, err := os.Open(filepath.Join(dir, "info", "alternates"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(dir, line)
		}
		out = append(out, line)
	}
	return out
}

// object reads object h through go-git: from the repository's storage,
// then from the other object directories.
func (r *repo) object(h plumbing.Hash) (plumbing.EncodedObject, error) {
	o, err := r.store.EncodedObject(plumbing.AnyObject, h)
	if err == nil {
		return o, nil
	}
	for _, d := range r.dirs {
		if o, derr := d.store.EncodedObject(plumbing.AnyObject, h); derr == nil {
			return o, nil
		}
	}
	return nil, err
}

// loadDirPacks opens the packs of the other object directories.
func (s *scan) loadDirPacks() {
	for _, d := range s.repo.dirs {
		infos, err := d.fs.ReadDir("pack")
		if err != nil {
			continue
		}
		for _, fi := range infos {
			if !strings.HasSuffix(fi.Name(), ".idx") {
				continue
			}
			base := "pack/" + strings.TrimSuffix(fi.Name(), ".idx")
			p, err := openPack(d.fs, base)
			if err != nil {
				s.warn("", filepath.Join(d.path, base)+".pack", fmt.Sprintf("cannot use pack, reading its objects one by one: %v", err))
				continue
			}
			p.name = filepath.Join(d.path, p.name)
			s.repo.packs = append(s.repo.packs, p)
		}
	}
}
