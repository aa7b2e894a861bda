#!/usr/bin/env python3
"""Renders emr/stepfunctions/retrain.asl.json from emr/cluster.json and emr/steps.json, so the scheduled pipeline
runs exactly the steps `emr/submit` runs. The run id is the Step Functions execution name: every argument that
contains ${RUN_ID} becomes a States.Format over $.timbre.run_id. Other ${VARS} stay for `emr/submit schedule` to fill.
JobConfigAndEmrFilesTest checks that the committed file matches this rendering (re-run this after editing either).

usage: python3 emr/tools/render_state_machine.py > emr/stepfunctions/retrain.asl.json
"""
import json
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
cluster = json.load(open(os.path.join(here, "..", "cluster.json")))
steps = json.load(open(os.path.join(here, "..", "steps.json")))


def lit(s):
    # Intrinsic-function string literal: ' { } \ are escaped with a backslash, except the braces of the ${VAR}
    # placeholders, which `emr/submit` replaces before the definition reaches Step Functions.
    out, i = [], 0
    while i < len(s):
        m = re.match(r"\$\{[A-Z_]+\}", s[i:])
        if m:
            out.append(m.group(0))
            i += len(m.group(0))
            continue
        out.append("\\" + s[i] if s[i] in "'{}\\" else s[i])
        i += 1
    return "'" + "".join(out) + "'"


def dynamic(s):
    if "${RUN_ID}" not in s:
        return lit(s)
    if s == "${RUN_ID}":
        return "$.timbre.run_id"
    pre, post = s.split("${RUN_ID}", 1)
    return "States.Format(" + lit(pre)[:-1] + "{}" + lit(post)[1:] + ", $.timbre.run_id)"


def step_state(step, name, next_state):
    args = step["HadoopJarStep"]["Args"]
    s = {"Name.$" if "${RUN_ID}" in step["Name"] else "Name":
         dynamic(step["Name"]) if "${RUN_ID}" in step["Name"] else step["Name"],
         "ActionOnFailure": "CONTINUE",
         "HadoopJarStep": {"Jar": step["HadoopJarStep"]["Jar"]}}
    if any("${RUN_ID}" in a for a in args):
        s["HadoopJarStep"]["Args.$"] = "States.Array(" + ", ".join(dynamic(a) for a in args) + ")"
    else:
        s["HadoopJarStep"]["Args"] = args
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::elasticmapreduce:addStep.sync",
        "Parameters": {"ClusterId.$": "$.cluster.ClusterId", "Step": s},
        "ResultPath": None,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "TerminateAfterFailure"}],
        "Next": next_state,
    }


names = ["Ingest", "Train", "Evaluate", "Promote"]
states = {
    "Prepare": {
        "Type": "Pass",
        "Comment": "The run id of this retraining is the execution name (unique per state machine).",
        "Parameters": {"run_id.$": "$$.Execution.Name"},
        "ResultPath": "$.timbre",
        "Next": "CreateCluster",
    },
    "CreateCluster": {
        "Type": "Task",
        "Resource": "arn:aws:states:::elasticmapreduce:createCluster.sync",
        "Parameters": cluster,
        "ResultSelector": {"ClusterId.$": "$.ClusterId"},
        "ResultPath": "$.cluster",
        "Retry": [{"ErrorEquals": ["EMR.AmazonElasticMapReduceException"], "IntervalSeconds": 60, "MaxAttempts": 2,
                   "BackoffRate": 2.0}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
        "Next": names[0],
    },
}
for i, (step, name) in enumerate(zip(steps, names)):
    states[name] = step_state(step, name, names[i + 1] if i + 1 < len(names) else "Terminate")
states["Terminate"] = {
    "Type": "Task",
    "Resource": "arn:aws:states:::elasticmapreduce:terminateCluster.sync",
    "Parameters": {"ClusterId.$": "$.cluster.ClusterId"},
    "ResultPath": None,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 5, "BackoffRate": 2.0}],
    "Next": "Succeeded",
}
states["TerminateAfterFailure"] = {
    "Type": "Task",
    "Comment": "Whatever failed, the cluster never outlives the run.",
    "Resource": "arn:aws:states:::elasticmapreduce:terminateCluster.sync",
    "Parameters": {"ClusterId.$": "$.cluster.ClusterId"},
    "ResultPath": None,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 5, "BackoffRate": 2.0}],
    "Next": "Failed",
}
states["Failed"] = {"Type": "Fail", "Error": "TimbreRetrainingFailed",
                    "Cause": "A step failed; see the execution's error and the EMR step logs under LogUri."}
states["Succeeded"] = {"Type": "Succeed"}
machine = {
    "Comment": "Timbre scheduled retraining: EMR cluster -> ingest -> train -> evaluate -> promote (each a .sync "
               "step) -> terminate; any failure terminates the cluster too.",
    "StartAt": "Prepare",
    "TimeoutSeconds": 43200,
    "States": states,
}
print(json.dumps(machine, indent=2))
