#!/usr/bin/env python3
"""Renders emr/stepfunctions/retrain.asl.json from emr/cluster-cpu.json, emr/cluster-gpu.json and emr/steps/*.json.

One retraining: refuse to start while another execution runs → CPU cluster → ingest → terminate it → GPU cluster →
doctor, train → terminate it → a new CPU cluster → evaluate, promote → terminate it. No cluster waits idle for
another: a CPU cluster kept through training would cost its primary and two core nodes for every hour of training,
a second one costs one start-up (about 10 minutes of the same nodes). GPUs are billed only while the GPU cluster
starts and trains. Any failure terminates every cluster, publishes to the SNS alert topic, then fails.

The run id is the Step Functions execution name: every argument that contains ${RUN_ID} becomes a States.Format over
$.timbre.run_id. Other ${VARS} stay for emr/tools/render.py to fill. EmrFilesIT checks that the committed file is
this rendering (re-run this after editing a cluster or a step file).

usage: python3 emr/tools/render_state_machine.py > emr/stepfunctions/retrain.asl.json
"""
import json
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
def load(name):
    with open(os.path.join(here, "..", name)) as f:
        return json.load(f)


clusters = {"Cpu": load("cluster-cpu.json"), "Gpu": load("cluster-gpu.json"), "CpuEval": load("cluster-cpu.json")}
steps = {name: load(f"steps/{name}.json") for name in ("ingest", "train", "evaluate")}


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


def step_state(step, cluster, next_state):
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
        "Parameters": {"ClusterId.$": f"$.clusters.{cluster}.ClusterId", "Step": s},
        "ResultPath": None,
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "CleanUpAfterFailure"}],
        "Next": next_state,
    }


CATCH = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "CleanUpAfterFailure"}]


def create(cluster, next_state):
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::elasticmapreduce:createCluster.sync",
        "Parameters": clusters[cluster],
        "ResultSelector": {"ClusterId.$": "$.ClusterId"},
        "ResultPath": f"$.clusters.{cluster}",
        "Retry": [{"ErrorEquals": ["EMR.AmazonElasticMapReduceException"], "IntervalSeconds": 60, "MaxAttempts": 2,
                   "BackoffRate": 2.0}],
        "Catch": CATCH,
        "Next": next_state,
    }


def terminate(cluster, next_state, comment=None):
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::elasticmapreduce:terminateCluster.sync",
        "Parameters": {"ClusterId.$": f"$.clusters.{cluster}.ClusterId"},
        "ResultPath": None,
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 5, "BackoffRate": 2.0}],
        "Next": next_state,
    }
    if comment:
        state["Comment"] = comment
    return state


def chain(sequence):
    """(state name, cluster, step) triples → step states, each leading to the next name."""
    out = {}
    for i, (name, cluster, step) in enumerate(sequence[:-1]):
        out[name] = step_state(step, cluster, sequence[i + 1][0])
    return out


states = {
    "Prepare": {
        "Type": "Pass",
        "Comment": "The run id of this retraining is the execution name (unique per state machine).",
        "Parameters": {"run_id.$": "$$.Execution.Name"},
        "ResultPath": "$.timbre",
        "Next": "ListRunningExecutions",
    },
    "ListRunningExecutions": {
        "Type": "Task",
        "Comment": "Two retrainings at once would race on the champion alias and double the bill.",
        "Resource": "arn:aws:states:::aws-sdk:sfn:listExecutions",
        "Parameters": {"StateMachineArn.$": "$$.StateMachine.Id", "StatusFilter": "RUNNING"},
        "ResultSelector": {"count.$": "States.ArrayLength($.Executions)"},
        "ResultPath": "$.running",
        "Next": "OnlyThisExecution",
    },
    "OnlyThisExecution": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.running.count", "NumericGreaterThan": 1, "Next": "AlreadyRunning"}],
        "Default": "CreateCpuCluster",
    },
    "AlreadyRunning": {"Type": "Fail", "Error": "TimbreAlreadyRunning",
                       "Cause": "Another execution of this state machine is running; this one did nothing."},
    "CreateCpuCluster": create("Cpu", "Ingest"),
}
states.update(chain([("Ingest", "Cpu", steps["ingest"][0]), ("TerminateCpuCluster", None, None)]))
states["TerminateCpuCluster"] = terminate("Cpu", "CreateGpuCluster", "No cluster idles while another works.")
states["CreateGpuCluster"] = create("Gpu", "Doctor")
states.update(chain([("Doctor", "Gpu", steps["train"][0]), ("Train", "Gpu", steps["train"][1]),
                     ("TerminateGpuCluster", None, None)]))
states["TerminateGpuCluster"] = terminate("Gpu", "CreateCpuEvalCluster", "GPUs are billed only while training.")
states["CreateCpuEvalCluster"] = create("CpuEval", "Evaluate")
states.update(chain([("Evaluate", "CpuEval", steps["evaluate"][0]), ("Promote", "CpuEval", steps["evaluate"][1]),
                     ("TerminateCpuEvalCluster", None, None)]))
states["TerminateCpuEvalCluster"] = terminate("CpuEval", "Succeeded")
for name in ("TerminateCpuCluster", "TerminateGpuCluster", "TerminateCpuEvalCluster"):
    states[name]["Catch"] = CATCH


def cleanup(cluster):
    return {"StartAt": f"Terminate{cluster}", "States": {f"Terminate{cluster}": {
        "Type": "Task",
        "Resource": "arn:aws:states:::elasticmapreduce:terminateCluster.sync",
        "Parameters": {"ClusterId.$": f"$.clusters.{cluster}.ClusterId"},
        "Retry": [{"ErrorEquals": ["EMR.AmazonElasticMapReduceException"], "IntervalSeconds": 30, "MaxAttempts": 5,
                   "BackoffRate": 2.0}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": f"No{cluster}Cluster"}],
        "End": True},
        f"No{cluster}Cluster": {"Type": "Pass", "Comment": "Not created, or already gone.", "End": True}}}


states["CleanUpAfterFailure"] = {
    "Type": "Parallel",
    "Comment": "Whatever failed, no cluster outlives the run.",
    "Branches": [cleanup("Cpu"), cleanup("Gpu"), cleanup("CpuEval")],
    "ResultPath": None,
    "Next": "Alert",
}
states["Alert"] = {
    "Type": "Task",
    "Resource": "arn:aws:states:::sns:publish",
    "Parameters": {
        "TopicArn": "arn:aws:sns:${REGION}:${ACCOUNT_ID}:${ALERT_TOPIC}",
        "Subject": "Timbre retraining ${TASK} failed",
        "Message.$": "States.Format('Timbre retraining ${TASK}, run {}, failed: {} {}. Step logs: "
                     "s3://${BUCKET}/${PREFIX}/emr-logs/', $.timbre.run_id, $.error.Error, $.error.Cause)",
    },
    "ResultPath": None,
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": None, "Next": "Failed"}],
    "Next": "Failed",
}
states["Failed"] = {"Type": "Fail", "Error": "TimbreRetrainingFailed",
                    "Cause": "A step failed; see the execution's error and the EMR step logs under LogUri."}
states["Succeeded"] = {"Type": "Succeed"}
machine = {
    "Comment": "Timbre scheduled retraining: CPU cluster -> ingest -> GPU cluster -> doctor, train -> CPU cluster -> "
               "evaluate, promote; each cluster terminated when its steps end; one execution at a time; any failure "
               "terminates every cluster and alerts.",
    "StartAt": "Prepare",
    "TimeoutSeconds": 43200,
    "States": states,
}
print(json.dumps(machine, indent=2))
