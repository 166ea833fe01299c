package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

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

func (h hookFile) install(dir string, force bool) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	hook := filepath.Join(dir, h.name)
	chained := filepath.Join(dir, h.chained)
	if fi, err := os.Lstat(hook); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(hook); err != nil {
			dest, _ := os.Readlink(hook)
			// Writing the hook through it would create a file where the
			// link points, outside the hooks folder.
			return "", fmt.Errorf("%s is a symbolic link to %s, which does not exist: keyscan will not write through it; remove it and install again", hook, dest)
		}
	}
	// Read without blocking (a FIFO there cannot stall the install), a
	// regular file only, as every file keyscan reads (internal/readfile).
	old, err := readfile.File(hook, false, 1<<20)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return "", err
	}
	msg := "installed the keyscan " + h.name + " hook in " + hook
	if old != nil && !bytes.Contains(old, []byte(hookMarker)) {
		if _, err := os.Lstat(chained); err == nil && !force {
			return "", fmt.Errorf("%s exists and so does %s from an earlier install; "+
				"keyscan will not overwrite either: remove one, or run %s to replace %s with the current hook",
				hook, chained, h.force, chained)
		}
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
	if err != nil {
		f.Abort()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return msg, nil
}

func (h hookFile) uninstall(dir string) (string, error) {
	hook := filepath.Join(dir, h.name)
	chained := filepath.Join(dir, h.chained)
	old, err := os.ReadFile(hook)
	if errors.Is(err, fs.ErrNotExist) {
		return "no " + h.name + " hook in " + dir + ": nothing to remove", nil
	}
	if err != nil {
		return "", err
	}
	if !bytes.Contains(old, []byte(hookMarker)) {
		return "", fmt.Errorf("%s was not installed by keyscan; left as it is", hook)
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
