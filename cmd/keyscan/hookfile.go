package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/internal/outfile"
	"github.com/keyscan/keyscan/internal/readfile"
)

// hookFile is one git hook that keyscan installs (pre-commit in a work
// tree, pre-receive on a server). Both are installed the same way: a hook
// that was there first and is not keyscan's is moved aside to chained and
// run by keyscan's script before keyscan itself, so installing keyscan never
// silently drops a team's existing hook, and uninstalling puts it back.
type hookFile struct {
	name    string                  // the hook's file name: "pre-commit", "pre-receive"
	chained string                  // where a hook found there is moved to
	force   string                  // the command that replaces a chained hook left by an earlier install
	script  func(exe string) []byte // the hook's text, given the keyscan binary that installs it
}

// installAll installs hs in dir, or none of them: each is checked first,
// so that a refusal (a hook chained by an earlier install, a dangling link)
// leaves the folder as it was.
func installAll(hs []hookFile, dir string, force bool) (string, error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		// core.hooksPath=/dev/null is how hooks are turned off.
		return "", fmt.Errorf("git runs hooks from %s, which is not a folder (core.hooksPath?): no hook would run; point core.hooksPath at a folder, or unset it", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	olds := make([][]byte, len(hs))
	for i, h := range hs {
		old, err := h.check(dir, force)
		if err != nil {
			return "", err
		}
		olds[i] = old
	}
	var msgs []string
	for i, h := range hs {
		msg, err := h.write(dir, olds[i])
		if err != nil {
			return strings.Join(msgs, "\n"), err
		}
		msgs = append(msgs, msg)
	}
	return strings.Join(msgs, "\n"), nil
}

func (h hookFile) install(dir string, force bool) (string, error) {
	return installAll([]hookFile{h}, dir, force)
}

// check returns the hook in place in dir (nil when there is none), or why
// install must not replace it.
func (h hookFile) check(dir string, force bool) ([]byte, error) {
	hook := filepath.Join(dir, h.name)
	chained := filepath.Join(dir, h.chained)
	if fi, err := os.Lstat(hook); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(hook); err != nil {
			dest, _ := os.Readlink(hook)
			// Writing the hook through it would create a file where the
			// link points, outside the hooks folder.
			return nil, fmt.Errorf("%s is a symbolic link to %s, which does not exist: keyscan will not write through it; remove it and install again", hook, dest)
		}
	}
	// Read without blocking (a FIFO there cannot stall the install), a
	// regular file only, as every file keyscan reads (internal/readfile).
	old, err := readfile.File(hook, false, 1<<20)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	}
	if !bytes.Contains(old, []byte(hookMarker)) {
		if _, err := os.Lstat(chained); err == nil && !force {
			return nil, fmt.Errorf("%s exists and so does %s from an earlier install; "+
				"keyscan will not overwrite either: remove one, or run %s to replace %s with the current hook",
				hook, chained, h.force, chained)
		}
	}
	return old, nil
}

// write installs the hook in dir over old, the hook check found there.
func (h hookFile) write(dir string, old []byte) (string, error) {
	hook := filepath.Join(dir, h.name)
	chained := filepath.Join(dir, h.chained)
	msg := "installed the keyscan " + h.name + " hook in " + hook
	if old != nil && !bytes.Contains(old, []byte(hookMarker)) {
		if err := os.Rename(hook, chained); err != nil {
			return "", err
		}
		msg += "; it runs the hook that was there first (moved to " + chained + ")"
	} else if old != nil {
		msg = "updated the keyscan " + h.name + " hook in " + hook
	}
	exe, err := os.Executable()
	if err != nil {
		exe = ""
	}
	// An earlier keyscan hook reached through a link is replaced in this
	// folder, never written through: the link goes, and outfile writes the
	// new hook beside the name and renames it into place.
	if fi, err := os.Lstat(hook); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if err := os.Remove(hook); err != nil {
			return "", err
		}
	}
	f, err := outfile.Create(hook, false)
	if err != nil {
		return "", err
	}
	_, err = f.Write(h.script(exe))
	if err == nil {
		err = f.Chmod(0o755)
	}
	if err := f.Finish(err); err != nil {
		return "", err
	}
	return msg, nil
}

// uninstallAll removes from dir the hooks of hs that keyscan installed,
// putting back the hooks they chained, and leaves any other. It is an
// error when none of them is keyscan's but one is there.
func uninstallAll(hs []hookFile, dir string) (string, error) {
	var msgs, foreign []string
	for _, h := range hs {
		msg, err := h.remove(dir)
		switch {
		case errors.Is(err, errNotKeyscans):
			foreign = append(foreign, filepath.Join(dir, h.name))
		case err != nil:
			return strings.Join(msgs, "\n"), err
		case msg != "":
			msgs = append(msgs, msg)
		}
	}
	switch {
	case len(msgs) == 0 && len(foreign) > 0:
		return "", fmt.Errorf("%s %s not installed by keyscan; left as %s", strings.Join(foreign, ", "),
			map[bool]string{true: "was", false: "were"}[len(foreign) == 1], map[bool]string{true: "it is", false: "they are"}[len(foreign) == 1])
	case len(msgs) == 0:
		return "no keyscan hook in " + dir + ": nothing to remove", nil
	}
	for _, f := range foreign {
		msgs = append(msgs, "left "+f+": not installed by keyscan")
	}
	return strings.Join(msgs, "\n"), nil
}

func (h hookFile) uninstall(dir string) (string, error) {
	return uninstallAll([]hookFile{h}, dir)
}

var errNotKeyscans = errors.New("not installed by keyscan")

// remove removes the hook from dir when keyscan installed it, and puts
// back the hook it chained. It says nothing ("") when there is no hook.
func (h hookFile) remove(dir string) (string, error) {
	hook := filepath.Join(dir, h.name)
	chained := filepath.Join(dir, h.chained)
	old, err := readfile.File(hook, false, 1<<20)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if !bytes.Contains(old, []byte(hookMarker)) {
		return "", errNotKeyscans
	}
	if err := os.Remove(hook); err != nil {
		return "", err
	}
	if _, err := os.Lstat(chained); err == nil {
		if err := os.Rename(chained, hook); err != nil {
			return "", err
		}
		return "removed the keyscan " + h.name + " hook from " + dir + " and put back the hook it chained", nil
	}
	return "removed the keyscan " + h.name + " hook from " + dir, nil
}
