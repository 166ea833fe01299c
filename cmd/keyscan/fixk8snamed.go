package main

import (
	"fmt"

	"github.com/keyscan/keyscan/fix"
)

// k8sNamedHolds leaves for a person the keys of a Secret that a custom
// resource of the run names while setting a custom endpoint (qa15
// HIGH-16): Velero's BackupStorageLocation (credential: with
// config.s3Url), CloudNativePG's Cluster (s3Credentials with
// endpointURL), any operator's resource that gives its S3 client a
// Secret and an endpoint (fix.SecretNamers). Its operator signs the
// endpoint's requests with the Secret's keys, and with the instance role
// once they are gone. Only when a folder is fixed, as k8sEndpointHolds.
// It returns whether it held anything.
func k8sNamedHolds(files []*fixedFile, others []reader) bool {
	type namer struct {
		fix.SecretNamer
		file string
	}
	var namers []namer
	for _, f := range files {
		for _, s := range fix.SecretNamers(f.t.name, f.data) {
			namers = append(namers, namer{s, f.t.name})
		}
	}
	for _, r := range others {
		for _, s := range fix.SecretNamers(r.name, r.data) {
			namers = append(namers, namer{s, r.name})
		}
	}
	if len(namers) == 0 {
		return false
	}
	held := map[*fixedFile]bool{}
	for _, f := range files {
		if f.res == nil || len(f.res.Fixed) == 0 || !f.t.rootIsDir {
			continue
		}
		// Every key removed from a Secret, a whole credentials file's
		// lines inside one of its keys too.
		for _, x := range f.res.Fixed {
			kind, secret := fix.ManifestOf(f.t.name, f.data, x.Offset)
			if kind != "Secret" || secret == "" {
				continue
			}
			for _, n := range namers {
				if !n.Values[secret] {
					continue
				}
				why := fmt.Sprintf("%s, in the %s %s (%s:%d), which names the Secret %s for its operator's S3 client",
					n.Endpoint, n.Kind, n.Name, n.file, n.Line, secret)
				if addHold(&f.opts, x.Offset, fix.K8sEndpointReason(why)) {
					held[f] = true
				}
				break
			}
		}
	}
	for f := range held {
		reapply(f)
	}
	return len(held) > 0
}
