#!/usr/bin/env python3
"""Creates or updates the IAM roles, the instance profile and the policies of a rendered emr/iam/roles.json with
the AWS CLI; idempotent, so it also applies edits.

    python3 emr/tools/iam.py RENDERED_DIR REGION        (emr/submit iam calls this)
"""
import json
import subprocess
import sys
from pathlib import Path


def aws(*args, check=True):
    r = subprocess.run(["aws", *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"iam: aws {' '.join(args[:3])} failed: {r.stderr.strip()}")
    return r


def main(rendered, region):
    rendered = Path(rendered)
    doc = lambda rel: (rendered / rel).read_text(encoding="utf-8")
    for role in json.loads(doc("iam/roles.json"))["Roles"]:
        name = role["RoleName"]
        if aws("iam", "get-role", "--role-name", name, check=False).returncode == 0:
            aws("iam", "update-assume-role-policy", "--role-name", name, "--policy-document", doc(role["Trust"]))
        else:
            aws("iam", "create-role", "--role-name", name, "--assume-role-policy-document", doc(role["Trust"]))
        for policy, path in role["InlinePolicies"].items():
            aws("iam", "put-role-policy", "--role-name", name, "--policy-name", policy, "--policy-document", doc(path))
        for arn in role["ManagedPolicies"]:
            aws("iam", "attach-role-policy", "--role-name", name, "--policy-arn", arn)
        profile = role.get("InstanceProfileName")
        if profile:
            if aws("iam", "get-instance-profile", "--instance-profile-name", profile, check=False).returncode != 0:
                aws("iam", "create-instance-profile", "--instance-profile-name", profile)
            roles = json.loads(aws("iam", "get-instance-profile", "--instance-profile-name", profile).stdout)
            if name not in [r["RoleName"] for r in roles["InstanceProfile"]["Roles"]]:
                aws("iam", "add-role-to-instance-profile", "--instance-profile-name", profile, "--role-name", name)
        print(f"iam: {name}" + (f" (instance profile {profile})" if profile else ""))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
