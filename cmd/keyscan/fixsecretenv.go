package main

import (
	"fmt"

	"github.com/keyscan/keyscan/fix"
)

// A Secret's key reaches a program as a variable of its environment when
// a container takes the Secret whole (envFrom: secretRef: every key under
// its own name) or the key by an env entry's secretKeyRef (under the
// entry's name). Code that reads that variable by name with no default
// then fails without it, as it would for the same variable in a
// container's env: (qa27 M2): the key gets the code search of a
// ProgramEnv variable under each name it reaches a program by.

// secretEnvDefs returns a ProgramEnv definition for each variable that a
// SecretKey or ConfigMapKey definition of defs reaches a container of
// readers as, with from[i] the index of that definition in defs and
// route[i] how it gets there, for the reason; and keyRefs, the
// configMapKeyRefs that read a ConfigMapKey (a pod that names a missing
// key is never created, as for a Secret's).
func secretEnvDefs(defs []fix.Definition, readers []reader) (extra []fix.Definition, from []int, route []string, keyRefs []fix.Reference) {
	secrets := false
	for _, d := range defs {
		secrets = secrets || d.Kind == fix.SecretKey || d.Kind == fix.ConfigMapKey
	}
	if !secrets {
		return nil, nil, nil, nil
	}
	names := map[string]bool{} // variable and SecretKey index, once each
	for _, r := range readers {
		for _, c := range fix.Containers(r.name, r.data) {
			for _, ref := range c.Refs {
				if ref.Volume || ref.Optional {
					continue
				}
				for k, d := range defs {
					if d.Scope != ref.Name || !(d.Kind == fix.SecretKey && ref.Kind == "Secret" || d.Kind == fix.ConfigMapKey && ref.Kind == "ConfigMap") {
						continue
					}
					env, how := d.Name, fmt.Sprintf("the %s %s taken whole (envFrom) by the container at %s:%d", ref.Kind, d.Scope, r.name, c.Line)
					if ref.Key != "" {
						if ref.Key != d.Name || ref.Env == "" {
							continue
						}
						by := map[string]string{"Secret": "secretKeyRef", "ConfigMap": "configMapKeyRef"}[ref.Kind]
						env, how = ref.Env, fmt.Sprintf("%s %s/%s at %s:%d", by, d.Scope, d.Name, r.name, ref.Line)
						if d.Kind == fix.ConfigMapKey && !names["\x01"+how] {
							// fix.References reads secretKeyRefs only.
							names["\x01"+how] = true
							keyRefs = append(keyRefs, fix.Reference{Def: k, File: r.name, Line: ref.Line, What: by + " " + d.Scope + "/" + d.Name})
						}
					}
					key := env + "\x00" + fmt.Sprint(k)
					if names[key] {
						continue
					}
					names[key] = true
					extra = append(extra, fix.Definition{Kind: fix.ProgramEnv, Name: env, File: d.File, Line: d.Line, Held: d.Held})
					from = append(from, k)
					route = append(route, "; the variable "+env+" comes from "+how)
				}
			}
		}
	}
	return extra, from, route, keyRefs
}

// secretCodeReferences is codeReferences for defs, with the code that
// reads a SecretKey's variables (secretEnvDefs) added to the SecretKey's
// references.
func secretCodeReferences(files []*fixedFile, dirs []fixTarget, defs []fix.Definition, owner []*fixedFile, readers []reader, code **[]reader, refs [][]fix.Reference) {
	extra, from, route, keyRefs := secretEnvDefs(defs, readers)
	for _, r := range keyRefs {
		refs[r.Def] = append(refs[r.Def], r)
	}
	if len(extra) == 0 {
		codeReferences(files, dirs, defs, owner, code, refs)
		return
	}
	all := append(append([]fix.Definition(nil), defs...), extra...)
	allOwner := append([]*fixedFile(nil), owner...)
	for _, k := range from {
		allOwner = append(allOwner, owner[k])
	}
	allRefs := append(refs[:len(defs):len(defs)], make([][]fix.Reference, len(extra))...)
	codeReferences(files, dirs, all, allOwner, code, allRefs)
	copy(refs, allRefs[:len(defs)])
	for i, k := range from {
		for _, r := range allRefs[len(defs)+i] {
			if r.Code {
				r.Def = k
				r.What += route[i]
				refs[k] = append(refs[k], r)
			}
		}
	}
}
