#!/usr/bin/env python3
"""Offline dry-run of Timbre's EMR deployment: everything AWS would check on the first real run, checked here.

    python3 emr/tools/validate.py RENDERED_DIR [--submit FILE]   (emr/submit validate renders, then calls this;
                                                                  --submit: the submit script to check, default emr/submit)

1. Every request against the AWS API's own shapes (botocore's service models, as Debian's python3-botocore ships
   them): RunJobFlow for both clusters (and inside the state machine), AddJobFlowSteps for every step file,
   CreateStateMachine, CreateSchedule, CreateRole / PutRolePolicy / AttachRolePolicy / CreateInstanceProfile.
2. The state machine against the Amazon States Language (asl-validator from npm).
3. The mistakes that stop a first run (each reported with its number):
   [1] the instance profile and its role differ in name, or a cluster names a profile that is not created;
   [2] the EMR service role cannot pass the instance role, a cluster lacks the tag AmazonEMRServicePolicy_v2
       requires, or the state machine cannot pass the roles or create EMR's service-linked role;
   [3] YARN GPU settings on a cluster with a non-GPU core/task instance type, or GPU steps on a cluster without them;
   [4] the training step does not ship the CUDA runtime ND4J's CUDA backend needs, or does not refuse to train on CPUs;
   [5] submit waits with `aws emr wait` (30-minute limit), settings with fallbacks (subnets, region, account), a TASK
       that is not the experiment's name, a -SNAPSHOT jar name, per-task IAM policies with one fixed name;
   [6] GPU nodes held during ingest/evaluate/promote, or CPU steps without dynamic allocation;
   and IAM with wildcard actions, or Resource "*" for anything but RunJobFlow.
Exit status 1 when anything fails, with one line per problem.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

EMR = Path(__file__).resolve().parent.parent
ROOT = EMR.parent
GPU_FAMILIES = ("g4dn.", "g5.", "g5g.", "g6.", "g6e.", "gr6.", "p3.", "p3dn.", "p4d.", "p4de.", "p5.")
# ND4J's CUDA backend of each DL4J release and the JavaCPP CUDA presets it was built against.
CUDA_OF_DL4J = {"1.0.0-M2.1": ("nd4j-cuda-11.6", "11.6-8.3-1.5.7")}
GPU_YARN_KEYS = ("yarn.nodemanager.resource-plugins", "yarn.nodemanager.resource-plugins.gpu.allowed-gpu-devices")
CPU_STEPS = ("ingest", "evaluate", "promote")
GPU_STEPS = ("doctor", "train")


class Problems:
    def __init__(self):
        self.lines = []

    def add(self, number, message):
        self.lines.append(f"[{number}] {message}" if number else message)

    def require(self, ok, number, message):
        if not ok:
            self.add(number, message)
        return ok


def load(rendered, rel):
    return json.loads((Path(rendered) / rel).read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------------ API shapes

def botocore_session():
    try:
        import botocore.session
    except ImportError:
        return None
    return botocore.session.get_session()


def check_shape(problems, session, service, operation, params, what):
    from botocore.exceptions import ParamValidationError
    from botocore.validate import ParamValidator
    shape = session.get_service_model(service).operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    if report.has_errors():
        problems.add(None, f"{what}: not a valid {service} {operation} request: "
                     + report.generate_report().replace("\n", "; "))
    for path, value, allowed in enum_errors(params, shape, operation):
        problems.add(None, f"{what}: not a valid {service} {operation} request: {path} is {value!r}, "
                     f"one of {allowed} expected")
    return ParamValidationError


def enum_errors(value, shape, path):
    """botocore's validator checks types and required members but not enumerations; the API does."""
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                yield from enum_errors(value[name], member, f"{path}.{name}")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            yield from enum_errors(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for k, v in value.items():
            yield from enum_errors(v, shape.value, f"{path}.{k}")
    elif shape.type_name == "string" and getattr(shape, "enum", None) and isinstance(value, str):
        if value not in shape.enum:
            yield path, value, list(shape.enum)


def shapes(problems, rendered, session, roles):
    for cluster in ("cluster-cpu.json", "cluster-gpu.json"):
        check_shape(problems, session, "emr", "RunJobFlow", load(rendered, cluster), cluster)
    for steps in ("steps/ingest.json", "steps/train.json", "steps/evaluate.json"):
        check_shape(problems, session, "emr", "AddJobFlowSteps",
                    {"JobFlowId": "j-0123456789ABC", "Steps": load(rendered, steps)}, steps)
    asl = load(rendered, "stepfunctions/retrain.asl.json")
    for name, state in asl["States"].items():
        if state.get("Resource") == "arn:aws:states:::elasticmapreduce:createCluster.sync":
            check_shape(problems, session, "emr", "RunJobFlow", state["Parameters"], f"state {name}")
    settings = load(rendered, "settings.json")
    check_shape(problems, session, "stepfunctions", "CreateStateMachine",
                {"name": f"timbre-{settings['TASK']}-retrain", "definition": json.dumps(asl),
                 "roleArn": f"arn:aws:iam::{settings['ACCOUNT_ID']}:role/TimbreStepFunctionsRole"},
                "stepfunctions/retrain.asl.json")
    check_shape(problems, session, "scheduler", "CreateSchedule", load(rendered, "scheduler/schedule.json"),
                "scheduler/schedule.json")
    for role in roles:
        check_shape(problems, session, "iam", "CreateRole",
                    {"RoleName": role["RoleName"], "AssumeRolePolicyDocument": json.dumps(load(rendered, role["Trust"]))},
                    f"role {role['RoleName']}")
        for policy, path in role["InlinePolicies"].items():
            check_shape(problems, session, "iam", "PutRolePolicy",
                        {"RoleName": role["RoleName"], "PolicyName": policy,
                         "PolicyDocument": json.dumps(load(rendered, path))}, f"{path} ({policy})")
        for arn in role["ManagedPolicies"]:
            check_shape(problems, session, "iam", "AttachRolePolicy", {"RoleName": role["RoleName"], "PolicyArn": arn},
                        f"role {role['RoleName']} managed policy")
        if "InstanceProfileName" in role:
            check_shape(problems, session, "iam", "CreateInstanceProfile",
                        {"InstanceProfileName": role["InstanceProfileName"]}, f"profile {role['InstanceProfileName']}")


def asl_validator():
    found = shutil.which("asl-validator")
    if found:
        return found
    cached = Path(os.environ.get("TIMBRE_NPM_PREFIX", Path.home() / ".cache/timbre/npm")) / "node_modules/.bin/asl-validator"
    return str(cached) if cached.exists() else None


def states_language(problems, rendered):
    tool = asl_validator()
    if not tool:
        problems.add(None, "asl-validator not found (npm install --prefix ~/.cache/timbre/npm asl-validator@4.0.0)")
        return
    path = Path(rendered) / "stepfunctions/retrain.asl.json"
    r = subprocess.run([tool, "--json-path", str(path)], capture_output=True, text=True)
    if r.returncode != 0:
        problems.add(None, f"{path.name}: not valid Amazon States Language: {(r.stdout + r.stderr).strip()}")


# ------------------------------------------------------------------------------------------------ helpers

def statements(doc):
    return doc.get("Statement", [])


def as_list(x):
    return x if isinstance(x, list) else [x]


def grants(doc, action, resource_suffix=None, condition=None):
    """Whether an Allow statement grants `action` (on a resource ending with resource_suffix)."""
    for st in statements(doc):
        if st.get("Effect") != "Allow" or action not in as_list(st.get("Action", [])):
            continue
        if resource_suffix and not any(r.endswith(resource_suffix) for r in as_list(st.get("Resource", []))):
            continue
        if condition and not condition(st.get("Condition", {})):
            continue
        return True
    return False


def spark_defaults(cluster):
    for c in cluster.get("Configurations", []):
        if c.get("Classification") == "spark-defaults":
            return c.get("Properties", {})
    return {}


def classifications(cluster):
    return {c.get("Classification"): c for c in cluster.get("Configurations", [])}


def worker_types(cluster):
    return [t["InstanceType"] for f in cluster["Instances"].get("InstanceFleets", [])
            if f["InstanceFleetType"] in ("CORE", "TASK") for t in f["InstanceTypeConfigs"]]


def gpu_yarn(cluster):
    c = classifications(cluster)
    yarn = c.get("yarn-site", {}).get("Properties", {})
    plugins = "yarn.io/gpu" in yarn.get("yarn.nodemanager.resource-plugins", "")
    container = any(x.get("Classification") == "gpu" for x in c.get("container-executor", {}).get("Configurations", []))
    return plugins or container


def step_command(step):
    args = step["HadoopJarStep"]["Args"]
    jar = next(i for i, a in enumerate(args) if a.endswith(".jar") and not args[i - 1].startswith("--"))
    return args, args[jar + 1], args[:jar], args[jar + 1:]


def conf_values(submit_args):
    out = {}
    for i, a in enumerate(submit_args):
        if a == "--conf" and i + 1 < len(submit_args) and "=" in submit_args[i + 1]:
            k, v = submit_args[i + 1].split("=", 1)
            out[k] = v
    return out


def option(args, name):
    return args[args.index(name) + 1] if name in args else None


# ------------------------------------------------------------------------------------------------ the six problems

def instance_profile(problems, clusters, roles):
    by_role = {r["RoleName"]: r for r in roles}
    profiles = {r["InstanceProfileName"]: r for r in roles if "InstanceProfileName" in r}
    for name, c in clusters.items():
        profile = c["JobFlowRole"]
        if problems.require(profile in profiles, 1, f"{name}: JobFlowRole {profile} is not an instance profile that "
                            "emr/iam/roles.json creates"):
            role = profiles[profile]
            problems.require(role["RoleName"] == profile, 1, f"instance profile {profile} holds role "
                             f"{role['RoleName']}: EMR rejects a profile whose role has another name "
                             "('invalid instance profile'); use one name")
        problems.require(c["ServiceRole"] in by_role, 1, f"{name}: ServiceRole {c['ServiceRole']} is not created by "
                         "emr/iam/roles.json")


def service_role_can_pass(problems, rendered, clusters, roles):
    by_role = {r["RoleName"]: r for r in roles}
    v2 = "arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"
    ec2 = lambda cond: any("ec2.amazonaws.com" in v for op in cond.values() for k, vs in op.items()
                           if k == "iam:PassedToService" for v in as_list(vs))
    for name, c in clusters.items():
        service = by_role.get(c["ServiceRole"])
        if not service:
            continue
        policies = [load(rendered, p) for p in service["InlinePolicies"].values()]
        problems.require(any(grants(p, "iam:PassRole", f"role/{c['JobFlowRole']}", ec2) for p in policies), 2,
                         f"{name}: service role {c['ServiceRole']} may not pass {c['JobFlowRole']} to EC2 "
                         "(AmazonEMRServicePolicy_v2 passes only EMR_EC2_DefaultRole): add iam:PassRole with "
                         "iam:PassedToService ec2.amazonaws.com")
        if v2 in service["ManagedPolicies"]:
            tags = {t["Key"]: t["Value"] for t in c.get("Tags", [])}
            problems.require(tags.get("for-use-with-amazon-emr-managed-policies") == "true", 2,
                             f"{name}: AmazonEMRServicePolicy_v2 acts only on resources tagged "
                             "for-use-with-amazon-emr-managed-policies=true; the cluster lacks the tag")
    sfn = next((r for r in roles if r["RoleName"] == "TimbreStepFunctionsRole"), None)
    if problems.require(sfn is not None, 2, "emr/iam/roles.json has no TimbreStepFunctionsRole"):
        doc = [load(rendered, p) for p in sfn["InlinePolicies"].values()]
        problems.require(any(grants(d, "iam:CreateServiceLinkedRole") for d in doc), 2,
                         "the state machine role lacks iam:CreateServiceLinkedRole (EMR creates "
                         "AWSServiceRoleForEMRCleanup on an account's first cluster)")
        for c in clusters.values():
            for role in (c["ServiceRole"], c["JobFlowRole"]):
                problems.require(any(grants(d, "iam:PassRole", f"role/{role}") for d in doc), 2,
                                 f"the state machine role may not pass {role}")


def gpu_settings(problems, clusters, steps_on):
    for name, c in clusters.items():
        types = worker_types(c)
        cpu_types = [t for t in types if not t.startswith(GPU_FAMILIES)]
        if gpu_yarn(c):
            problems.require(not cpu_types, 3, f"{name}: YARN's GPU plugin is on for the whole cluster, but core/task "
                             f"types {cpu_types} have no GPU: their NodeManagers fail GPU discovery and do not start")
        wants_gpu = any(conf_values(step_command(s)[2]).get("spark.executor.resource.gpu.amount") for s in
                        steps_on.get(name, []))
        if wants_gpu:
            problems.require(gpu_yarn(c), 3, f"{name}: steps request GPUs but YARN's GPU plugin is off")
            problems.require(types and not cpu_types, 3, f"{name}: steps request GPUs on CPU types {cpu_types}")


SUBMIT = EMR / "submit"


def cuda_runtime(problems, rendered, steps, settings):
    pom = (ROOT / "pom.xml").read_text(encoding="utf-8")
    dl4j = re.search(r"<dl4j.version>([^<]+)</dl4j.version>", pom).group(1)
    backend, cuda = CUDA_OF_DL4J.get(dl4j, (None, None))
    problems.require(backend is not None and f"<nd4j.backend>{backend}</nd4j.backend>" in pom, 4,
                     f"pom.xml's gpu profile does not use the CUDA backend Timbre knows for DL4J {dl4j}")
    expected = f"cuda-{cuda}-linux-x86_64-redist.jar"
    problems.require(settings.get("CUDA_REDIST_JAR") == expected, 4,
                     f"CUDA_REDIST_JAR is {settings.get('CUDA_REDIST_JAR')}, ND4J {dl4j} needs {expected}")
    for step in steps:
        _, command, submit_args, args = step_command(step)
        if command not in GPU_STEPS:
            continue
        jars = (option(submit_args, "--jars") or "").split(",")
        problems.require(any(j.endswith("/" + expected) for j in jars), 4,
                         f"step '{step['Name']}' does not ship the CUDA {cuda} runtime ({expected}) with --jars: "
                         "ND4J would log a warning and train on CPUs")
        problems.require(option(args, "--require-backend") == "cuda", 4,
                         f"step '{step['Name']}' does not pass --require-backend cuda")
    submit = SUBMIT.read_text(encoding="utf-8")
    problems.require("-Pgpu" in submit, 4, "emr/submit does not build the jar with -Pgpu")


def submit_and_settings(problems, rendered, clusters, steps, roles, settings):
    submit = SUBMIT.read_text(encoding="utf-8")
    code = "\n".join(line for line in submit.splitlines() if not line.lstrip().startswith("#"))
    problems.require("emr wait" not in code, 5, "emr/submit waits with `aws emr wait`, which gives up after 30 "
                     "minutes while the job goes on")
    for fallback in ("000000000000", "eu-west-1", "REGION:-", "ACCOUNT_ID:-", "SUBNET_ID:-", "SUBNET_IDS:-"):
        problems.require(fallback not in code, 5, f"emr/submit has a silent fallback ({fallback}) for a required "
                         "setting")
    for name, c in clusters.items():
        subnets = c["Instances"].get("Ec2SubnetIds", [])
        problems.require(bool(subnets) and all(re.fullmatch(r"subnet-[0-9a-f]{8,17}", s) for s in subnets), 5,
                         f"{name}: Ec2SubnetIds {subnets} are not subnet ids")
    problems.require(re.fullmatch(r"\d{12}", settings.get("ACCOUNT_ID", "")) is not None
                     and settings.get("ACCOUNT_ID") != "000000000000", 5, "ACCOUNT_ID is not a real account id")
    experiment = ROOT / "conf/experiments" / settings.get("EXPERIMENT", "")
    if problems.require(experiment.is_file(), 5, f"conf/experiments/{settings.get('EXPERIMENT')} does not exist"):
        m = re.search(r'^\s*name\s*[=:]\s*"?([A-Za-z0-9_-]+)', experiment.read_text(encoding="utf-8"), re.M)
        problems.require(m and m.group(1) == settings.get("TASK"), 5, f"TASK {settings.get('TASK')} is not the "
                         f"experiment's name ({m.group(1) if m else '?'}): runs, metrics and aliases would disagree")
    for step in steps:
        args = step["HadoopJarStep"]["Args"]
        for a in args:
            if a.endswith(".jar") and "/jars/timbre-" in a:
                problems.require("SNAPSHOT" not in a and re.search(r"timbre-jobs-[0-9a-f]{7,40}", a), 5,
                                 f"step '{step['Name']}' runs {a}: name jars by git commit, a -SNAPSHOT is "
                                 "overwritten by the next upload")
    for role in roles:
        if role["RoleName"] in ("TimbreStepFunctionsRole", "TimbreSchedulerRole"):
            for policy in role["InlinePolicies"]:
                problems.require(settings.get("TASK", "\0") in policy, 5, f"{role['RoleName']}'s policy name "
                                 f"{policy} is the same for every task: a second task would overwrite the first's")


def gpus_only_for_training(problems, rendered, clusters, steps_on):
    asl = load(rendered, "stepfunctions/retrain.asl.json")["States"]
    for name, c in clusters.items():
        gpu_cluster = any(t.startswith(GPU_FAMILIES) for t in worker_types(c))
        for step in steps_on.get(name, []):
            _, command, submit_args, _ = step_command(step)
            if gpu_cluster:
                problems.require(command in GPU_STEPS, 6, f"{name} (GPU nodes) runs '{command}': GPUs billed for "
                                 "work that does not need them")
            elif command in CPU_STEPS and command != "promote":
                dynamic = conf_values(submit_args).get("spark.dynamicAllocation.enabled",
                                                       spark_defaults(c).get("spark.dynamicAllocation.enabled"))
                problems.require(dynamic == "true", 6, f"step '{step['Name']}' runs without dynamic allocation: "
                                 "Spark's default of 2 executors on the whole CPU fleet")
    # In the state machine: the GPU cluster is gone before the next CPU step runs.
    order, state = [], "Prepare"
    while state in asl and len(order) < 100:
        order.append(state)
        state = asl[state].get("Next") or asl[state].get("Default")
    cluster_of = {}
    for s in order:
        params = asl[s].get("Parameters", {})
        if asl[s].get("Resource", "").endswith("addStep.sync"):
            cluster_of[s] = params.get("ClusterId.$", "")
    gpu_steps = [s for s in order if "Gpu" in cluster_of.get(s, "")]
    cpu_after = [s for s in order if "Cpu" in cluster_of.get(s, "") and gpu_steps
                 and order.index(s) > order.index(gpu_steps[-1])]
    if gpu_steps and cpu_after:
        terminate = [s for s in order if asl[s].get("Resource", "").endswith("terminateCluster.sync")
                     and "Gpu" in asl[s].get("Parameters", {}).get("ClusterId.$", "")]
        problems.require(terminate and order.index(terminate[0]) < order.index(cpu_after[0]), 6,
                         "the state machine keeps the GPU cluster through " + ", ".join(cpu_after))


def no_wildcards(problems, rendered):
    for path in sorted((Path(rendered) / "iam").glob("*.json")):
        if path.name == "roles.json":
            continue
        for st in statements(json.loads(path.read_text(encoding="utf-8"))):
            actions = as_list(st.get("Action", []))
            for a in actions:
                problems.require("*" not in a, None, f"iam/{path.name}: wildcard action {a}")
            if "*" in as_list(st.get("Resource", [])):
                problems.require(actions == ["elasticmapreduce:RunJobFlow"], None,
                                 f"iam/{path.name}: Resource * for {actions}")


def validate(rendered):
    problems = Problems()
    settings = load(rendered, "settings.json")
    clusters = {"cluster-cpu.json": load(rendered, "cluster-cpu.json"),
                "cluster-gpu.json": load(rendered, "cluster-gpu.json")}
    steps_on = {"cluster-cpu.json": load(rendered, "steps/ingest.json") + load(rendered, "steps/evaluate.json"),
                "cluster-gpu.json": load(rendered, "steps/train.json")}
    steps = [s for v in steps_on.values() for s in v]
    roles = load(rendered, "iam/roles.json")["Roles"]
    session = botocore_session()
    if session is None:
        problems.add(None, "python3 botocore not found (apt-get install python3-botocore)")
    else:
        shapes(problems, rendered, session, roles)
    states_language(problems, rendered)
    instance_profile(problems, clusters, roles)
    service_role_can_pass(problems, rendered, clusters, roles)
    gpu_settings(problems, clusters, steps_on)
    cuda_runtime(problems, rendered, steps_on["cluster-gpu.json"], settings)
    submit_and_settings(problems, rendered, clusters, steps, roles, settings)
    gpus_only_for_training(problems, rendered, clusters, steps_on)
    no_wildcards(problems, rendered)
    return problems.lines


def main():
    global SUBMIT
    args = sys.argv[1:]
    if "--submit" in args:
        at = args.index("--submit")
        SUBMIT = Path(args[at + 1])
        del args[at:at + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    lines = validate(args[0])
    for line in lines:
        print("validate: " + line)
    if not lines:
        print(f"validate: {args[0]}: every request matches the AWS API, the state machine is valid ASL, and "
              "none of the known first-run mistakes is present")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
