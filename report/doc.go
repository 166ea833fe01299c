// Package report writes scanner findings as text for people, as JSON for
// scripts and as SARIF 2.1.0 for code-scanning services.
//
// Every format redacts secret values unless Options.ShowSecrets is set, and
// every format is deterministic for a given list of findings: the caller sorts
// the findings (scanner.Findings.Sort) and the writers keep that order, so
// reports can serve as golden files.
//
// The JSON report is an array (never null) of objects whose field names are
// the ones the README lists (its "Files and CI" section). Fields that only some scans fill (pair,
// account_id, commit, author, date, verified and the extensions) are left out
// when empty, so that a working-tree report does not carry empty history
// fields.
//
// The text report is for a person deciding what to do, in a terminal or in a
// refused commit, so it is short: findings grouped by file, a key ID with the
// secret and token paired with it as one entry, each piece of advice once per
// report under a number the files refer to (Options.Verbose gives one block
// per finding instead). JSON and SARIF, for machines, stay complete. The text
// report ends, unless Options.Quiet, with the work that no tool can do: the
// keys to revoke, grouped by what works for them (rules.Responses): IAM
// deactivates a long-term key but not a temporary one, and cannot find a key
// by its secret. Deleting a key from a file, or even from history, does not
// un-leak it.
package report
