package main

import (
	"io/fs"
	"path"
	"strings"

	"github.com/keyscan/keyscan/fix"
)

// mountedService says what gives a custom endpoint to a container that
// gets the target as a file (qa15 HIGH-20): a compose service that
// bind-mounts it or a folder above it (volumes: ./.aws:/root/.aws), or
// takes it as a secret or config (file:), and sets an endpoint (its
// environment:, its other files: serviceEndpointElsewhere) or runs in a
// project with an S3-compatible service; or a Dockerfile that copies it
// into the image (COPY .aws /root/.aws) and sets an endpoint, or that a
// compose service with one builds. The shared credentials and config
// files the SDKs read in there are that endpoint's. "" when none does.
func mountedService(t fixTarget) string {
	rel := t.rel()
	if r := composeAbove(t, func(dir, c string, b []byte) string {
		mounts := fix.ComposeMounts(b)
		if len(mounts) == 0 {
			return ""
		}
		svcs := fix.ComposeServices(b)
		for _, m := range mounts {
			if path.IsAbs(m.Source) || strings.HasPrefix(m.Source, "~") || !fix.Covers(path.Join(dir, m.Source), rel) {
				continue
			}
			if r := serviceReason(t, composeRef{rel: c, dir: dir}, b, svcs, m.Service, "the service "+m.Service+", which mounts this file ("+m.How+")"); r != "" {
				return r
			}
		}
		return ""
	}); r != "" {
		return r
	}
	return copiedInto(t)
}

// copiedInto says what gives a custom endpoint to an image that holds
// the target: a Dockerfile whose COPY or ADD takes it (or a folder above
// it) from the build context, its own folder or the context: a compose
// service gives it, and which sets an endpoint itself (ENV), or is built
// by a compose service that sets one (dockerfileService). "" when none.
func copiedInto(t fixTarget) string {
	rel := t.rel()
	copies := func(df, ctx string) (string, bool) {
		if !fix.Covers(ctx, rel) {
			return "", false
		}
		srcs, ok := t.parsed("DockerCopies", df, func(b []byte) any { return fix.DockerCopies(b) })
		if !ok {
			return "", false
		}
		for _, src := range srcs.([]string) {
			if !path.IsAbs(src) && fix.Covers(path.Join(ctx, src), rel) {
				b, _ := t.read(df, t.maxSize)
				if what := fix.FileEndpoint(df, b); what != "" {
					return fix.ComposeEndpointReason(what, t.shown(df), "which copies this file into the image (COPY "+src+")"), true
				}
				return "", true
			}
		}
		return "", false
	}
	// A compose service's build context and Dockerfile.
	if r := composeAbove(t, func(dir, c string, b []byte) string {
		for _, build := range fix.ComposeBuilds(b) {
			if path.IsAbs(build.Context) || strings.Contains(build.Context, "://") {
				continue
			}
			ctx := path.Join(dir, build.Context)
			df := build.Dockerfile
			if df == "" {
				df = "Dockerfile"
			}
			reason, copied := copies(path.Join(ctx, df), ctx)
			if !copied || reason != "" {
				return reason
			}
			if r := serviceReason(t, composeRef{rel: c, dir: dir}, b, fix.ComposeServices(b), build.Service,
				"the service "+build.Service+", whose image holds this file (COPY)"); r != "" {
				return r
			}
		}
		return ""
	}); r != "" {
		return r
	}
	// A Dockerfile whose folder is its context (docker build DIR).
	for _, r := range t.once("dockerfiles", func() any {
		var dfs []string
		t.walkFiles(maxReaders, func(name, _ string) bool { return skipCodeDir(name) }, func(r string, de fs.DirEntry) {
			if fix.Detect(de.Name(), nil) == fix.Dockerfile {
				dfs = append(dfs, r)
			}
		})
		return dfs
	}).([]string) {
		if found, _ := copies(r, path.Dir(r)); found != "" {
			return found
		}
	}
	return ""
}
