package main

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/keyscan/keyscan/analyzer"
	"github.com/keyscan/keyscan/fix"
	"github.com/keyscan/keyscan/scanner"
)

// go fix withholds its move to the EC2 instance role for a program that a
// module deploys where no instance metadata serves that role: AWS Lambda,
// App Runner, ECS on Fargate, a task, job or pod with a role of its own
// (analyzer's deployments table). keyscan fix made the same promise in
// other words ("credentials come from the EC2 instance role") when it
// removed the keys of such a deployment description itself: a Fargate
// task definition with no taskRoleArn, a Copilot service's manifest, an
// App Runner apprunner.yaml (qa27 M6). There the next deployment gets no
// credentials at all, or only its own role's, which keyscan cannot see.
// So keyscan fix reads the file with the same table, not a second list of
// its own, and leaves its keys for a person with the advice that works
// there. An ECS task definition on the EC2 launch type with no task role
// is in no row of the table: its containers reach the instance role, and
// both fixers move it there.

// deploymentHolds leaves for a person the keys of a file that describes a
// deployment where no EC2 instance role serves credentials
// (analyzer.NoMetadataDeployment): a YAML or JSON one, whose keys are the
// deployed program's environment. It reads the file alone, so it holds
// for a file named alone as for one of a folder fixed.
func deploymentHolds(t fixTarget, data []byte, found scanner.Findings, opts *fix.Options) {
	if len(found) == 0 {
		return
	}
	name := filepath.ToSlash(t.name)
	switch fix.Detect(t.name, data) {
	case fix.YAML, fix.JSON:
	case fix.HCL:
		// A Terraform file's keys are mostly the deployer's own (a
		// provider block's), which Terraform's credential chain replaces;
		// those set in a block that deploys the program (a Lambda
		// function's environment, a Fargate task's container
		// definitions, a Lambda module's inputs) are the program's, and
		// go fix withholds for that program: the block alone is read
		// with go fix's table.
		for _, x := range found {
			if b := fix.HCLBlockAt(data, x.Offset); b != nil {
				if where := analyzer.NoMetadataDeployment(b, name, path.Base(name)); where != "" {
					addHold(opts, x.Offset, deploymentReason("the block", where))
				}
			}
		}
		return
	default:
		return // a program's keys are its own row's
	}
	where := analyzer.NoMetadataDeployment(data, name, path.Base(name))
	if where == "" {
		return
	}
	reason := deploymentReason("the file", where)
	for _, x := range found {
		addHold(opts, x.Offset, reason)
	}
}

// deploymentReason is why the keys of what (the file, the block) stay for
// a person: it deploys a program where go fix withholds its fix.
func deploymentReason(what, where string) string {
	return what + " deploys a program where no EC2 instance role serves credentials (" + where + "), and go fix " +
		"withholds its fix there too: without the keys the next deployment has no AWS credentials, or only a role of its own " +
		"that keyscan cannot see. Instead, " + roleAdvice(where) + "; then remove the keys by hand and deactivate them in IAM."
}

// roleAdvice is how a deployment of the kind that where describes gets
// credentials of its own in place of the keys.
func roleAdvice(where string) string {
	switch {
	case strings.Contains(where, "App Runner"):
		return "give the service an instance role (InstanceConfiguration's InstanceRoleArn, instance_role_arn, or an " +
			"App Runner service's instance role in Copilot) with the rights these keys have: the SDK's default chain finds it"
	case strings.Contains(where, "Lambda"):
		return "give the function's execution role the rights these keys have: the SDK's default chain finds it"
	case strings.Contains(where, "pod"):
		return "give the pod's role (its service account's IRSA or Pod Identity role) the rights these keys have: the SDK's default chain finds it"
	case strings.Contains(where, "Batch"):
		return "give the job a role of its own (jobRoleArn) with the rights these keys have: the SDK's default chain finds it"
	}
	return "give the task a role of its own (taskRoleArn in the task definition; Copilot makes one, to which an addon's " +
		"policy adds rights) with the rights these keys have: the SDK's default chain finds it through the container credentials endpoint"
}
