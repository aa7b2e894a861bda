#!/usr/bin/env python3
"""Fills in the ${VARS} of every template in emr/ and writes the files AWS receives to OUT_DIR.

    python3 emr/tools/render.py OUT_DIR        (emr/submit render OUT_DIR calls this with its settings)

Every variable is required; nothing falls back to an example value, so a missing REGION or ACCOUNT_ID stops here
instead of reaching AWS as eu-west-1 / 000000000000. SUBNET_IDS is a comma-separated list that becomes the
clusters' Ec2SubnetIds array (EMR picks the subnet with capacity among them). TASK is the experiment's `name`,
read from the experiment file, never given separately.
"""
import json
import os
import re
import sys
from pathlib import Path

EMR = Path(__file__).resolve().parent.parent
ROOT = EMR.parent
VAR = re.compile(r"\$\{([A-Z_]+)\}")
# The variables the templates may use, with the check each value must pass.
VARIABLES = {
    "BUCKET": r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
    "PREFIX": r"[A-Za-z0-9._/-]+",
    "REGION": r"[a-z]{2}(-gov)?-[a-z]+-\d",
    "ACCOUNT_ID": r"\d{12}",
    "SUBNET_IDS": r"subnet-[0-9a-f]{8,17}(,subnet-[0-9a-f]{8,17})*",
    "TASK": r"[A-Za-z0-9][A-Za-z0-9_-]*",
    "DATASET": r"[a-z0-9-]+",
    "DATASET_ROOT": r"s3a://\S+",
    "SPEC": r"[A-Za-z0-9._-]+\.conf",
    "EXPERIMENT": r"[A-Za-z0-9._-]+\.conf",
    "JAR": r"timbre-jobs-[0-9a-f]{7,40}(-dirty-\d{8}T\d{6}Z)?\.jar",
    "CUDA_REDIST_JAR": r"cuda-\d+\.\d+-\d+\.\d+-\d+\.\d+\.\d+-linux-x86_64-redist\.jar",
    "EVAL_SPLIT": r"train|validation|test",
    "RUN_ID": r"[A-Za-z0-9_-]{1,80}",
    "SCHEDULE": r"(cron|rate)\(.+\)",
    "ALERT_TOPIC": r"timbre-[A-Za-z0-9_-]+",
}
TEMPLATES = ["cluster-cpu.json", "cluster-gpu.json", "steps/ingest.json", "steps/train.json",
             "steps/evaluate.json", "stepfunctions/retrain.asl.json", "scheduler/schedule.json", "iam/roles.json"]


class RenderError(Exception):
    pass


def experiment_name(path):
    """The top-level `name = …` of a HOCON experiment file (Timbre's experiments keep it on one line)."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = re.match(r'\s*name\s*[=:]\s*"?([A-Za-z0-9_-]+)"?\s*(#.*)?$', line)
        if m:
            return m.group(1)
    raise RenderError(f"Cannot find the experiment's name in {path} (a line `name = …`)")


def settings(env):
    values = {k: env[k] for k in VARIABLES if env.get(k)}
    experiment = values.get("EXPERIMENT")
    if experiment:
        name = experiment_name(ROOT / "conf" / "experiments" / experiment)
        if values.get("TASK", name) != name:
            raise RenderError(f"Cannot render: TASK={values['TASK']} but conf/experiments/{experiment} is named "
                              f"'{name}'; TASK is the experiment's name (leave TASK unset)")
        values["TASK"] = name
    if "TASK" in values:
        values.setdefault("ALERT_TOPIC", f"timbre-{values['TASK']}-alerts")
    missing = [k for k in VARIABLES if k not in values]
    if missing:
        raise RenderError("Cannot render: set " + ", ".join(missing))
    for k, pattern in VARIABLES.items():
        if not re.fullmatch(pattern, values[k]):
            raise RenderError(f"Cannot render: {k}={values[k]!r} is not a valid value ({pattern})")
    return values


def fill(text, values, where):
    def sub(m):
        if m.group(1) not in values:
            raise RenderError(f"{where}: unknown variable ${{{m.group(1)}}}")
        return values[m.group(1)]
    return VAR.sub(sub, text)


def subnets_as_arrays(node, subnets):
    """Ec2SubnetIds: ["a,b"] → ["a", "b"] (a template cannot spell a list of unknown length)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Ec2SubnetIds" and v == [",".join(subnets)]:
                node[k] = list(subnets)
            else:
                subnets_as_arrays(v, subnets)
    elif isinstance(node, list):
        for v in node:
            subnets_as_arrays(v, subnets)
    return node


def render(out, env):
    values = settings(env)
    subnets = values["SUBNET_IDS"].split(",")
    files = TEMPLATES + sorted(str(p.relative_to(EMR)) for p in (EMR / "iam").glob("*.json")
                               if p.name != "roles.json")
    for rel in files:
        text = fill((EMR / rel).read_text(encoding="utf-8"), values, rel)
        doc = subnets_as_arrays(json.loads(text), subnets)  # the state machine holds both clusters too
        target = Path(out) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    (Path(out) / "settings.json").write_text(json.dumps(values, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        render(sys.argv[1], os.environ)
    except RenderError as e:
        print(f"render: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
