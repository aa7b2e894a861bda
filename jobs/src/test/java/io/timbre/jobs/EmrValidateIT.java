package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code emr/submit validate}, the offline dry-run: it passes on the files as committed, and each mistake that would
 * stop a first run on EMR, re-introduced into a rendering, makes it fail with that mistake's number and reason. Needs
 * Python's botocore (Debian python3-botocore) and asl-validator (npm); skipped without them, except under CI
 * ({@code CI=true}), where {@code .ci/run} installs both.
 */
class EmrValidateIT {
  private static final Path ROOT = EmrFilesIT.ROOT;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRAIN_STEP = "timbre train irmas-cnn 20261122T030000Z-submit";

  @TempDir static Path tmp;
  private static Path base;

  /** An exit code and the combined output of a process. */
  record Result(int code, String output) {
    String requireSuccess() {
      assertThat(code).as(output).isZero();
      return output;
    }
  }

  static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("%s", command).isTrue();
    return new Result(p.exitValue(), out);
  }

  /** emr/submit with the sample settings, overridden by {@code env} (an empty value unsets a setting). */
  static Result submit(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("emr/submit").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(EmrFilesIT.SAMPLE);
    env.forEach((k, v) -> {
      if (v.isEmpty()) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("%s", command).isTrue();
    return new Result(p.exitValue(), out);
  }

  @BeforeAll
  static void toolsAndABaseRendering() throws Exception {
    boolean botocore = run(List.of(python(), "-c", "import botocore"), Map.of()).code() == 0;
    boolean asl = run(List.of("bash", "-c", "command -v asl-validator || test -x "
        + "\"${TIMBRE_NPM_PREFIX:-$HOME/.cache/timbre/npm}/node_modules/.bin/asl-validator\""), Map.of()).code() == 0;
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(botocore && asl, "needs python3-botocore and asl-validator "
          + "(npm install --prefix ~/.cache/timbre/npm asl-validator@4.0.0)");
    }
    assertThat(botocore).as("python3-botocore (installed by .ci/run)").isTrue();
    assertThat(asl).as("asl-validator (installed by .ci/run)").isTrue();
    base = tmp.resolve("base");
    submit(Map.of(), "render", base.toString()).requireSuccess();
  }

  @Test
  void theCommittedFilesPassTheDryRun() throws Exception {
    Result r = submit(Map.of(), "validate");
    assertThat(r.output()).contains("every request matches the AWS API, the state machine is valid ASL");
    r.requireSuccess();
  }

  @Test
  void problem1InstanceProfileNamedUnlikeItsRole() throws Exception {
    assertFails(d -> {
      role(d, 0, r -> r.put("InstanceProfileName", "TimbreEmrInstanceProfile"));
      for (String c : List.of("cluster-cpu.json", "cluster-gpu.json")) {
        edit(d, c, n -> ((ObjectNode) n).put("JobFlowRole", "TimbreEmrInstanceProfile"));
      }
    }, "[1] instance profile TimbreEmrInstanceProfile holds role TimbreEmrInstanceRole: EMR rejects a profile whose "
        + "role has another name");
  }

  @Test
  void problem2ServiceRoleCannotPassTheInstanceRoleOrTagIsMissing() throws Exception {
    assertFails(d -> role(d, 1, r -> r.putObject("InlinePolicies")),
        "[2] cluster-cpu.json: service role TimbreEmrServiceRole may not pass TimbreEmrInstanceRole to EC2");
    assertFails(d -> edit(d, "cluster-gpu.json", n -> {
      ArrayNode tags = (ArrayNode) n.path("Tags");
      for (int i = tags.size() - 1; i >= 0; i--) {
        if (tags.get(i).path("Key").asText().equals("for-use-with-amazon-emr-managed-policies")) {
          tags.remove(i);
        }
      }
    }), "[2] cluster-gpu.json: AmazonEMRServicePolicy_v2 acts only on resources tagged "
        + "for-use-with-amazon-emr-managed-policies=true");
    assertFails(d -> edit(d, "iam/stepfunctions-policy.json", n -> removeStatement(n, "EmrCleanupRoleOnAFirstRun")),
        "[2] the state machine role lacks iam:CreateServiceLinkedRole");
  }

  @Test
  void problem3GpuYarnSettingsOnCpuNodes() throws Exception {
    assertFails(d -> edit(d, "cluster-gpu.json", n -> {
      ObjectNode cpu = ((ObjectNode) n.path("Instances").path("InstanceFleets").get(1).path("InstanceTypeConfigs")
          .get(0)).deepCopy();
      cpu.put("InstanceType", "m6i.4xlarge");
      ((ArrayNode) n.path("Instances").path("InstanceFleets").get(1).path("InstanceTypeConfigs")).add(cpu);
    }), "[3] cluster-gpu.json: YARN's GPU plugin is on for the whole cluster, but core/task types ['m6i.4xlarge'] "
        + "have no GPU");
    JsonNode gpuConfigs = read(base, "cluster-gpu.json").path("Configurations");
    assertFails(d -> edit(d, "cluster-cpu.json", n -> {
      for (JsonNode c : gpuConfigs) {
        if (c.path("Classification").asText().matches("yarn-site|container-executor")) {
          ((ArrayNode) n.path("Configurations")).add(c);
        }
      }
    }), "[3] cluster-cpu.json: YARN's GPU plugin is on for the whole cluster, but core/task types");
  }

  @Test
  void problem4TrainingWithoutTheCudaRuntimeOrWithoutRefusingCpus() throws Exception {
    assertFails(d -> edit(d, "steps/train.json", n -> removeArg(n.get(1), "--jars", 2)),
        "[4] step '" + TRAIN_STEP + "' does not ship the CUDA 11.6-8.3-1.5.7 runtime");
    assertFails(d -> edit(d, "steps/train.json", n -> removeArg(n.get(1), "--require-backend", 2)),
        "[4] step '" + TRAIN_STEP + "' does not pass --require-backend cuda");
  }

  @Test
  void problem5SubmitWaitsThirtyMinutesAndSettingsFallBackSilently() throws Exception {
    Path oldSubmit = tmp.resolve("submit-with-wait");
    Files.writeString(oldSubmit, Files.readString(ROOT.resolve("emr/submit")).replace("sleep 60",
        "aws emr wait step-complete --cluster-id \"$cluster\" --step-id \"$last\"")
        + "\nexport REGION=\"${REGION:-eu-west-1}\" ACCOUNT_ID=\"${ACCOUNT_ID:-000000000000}\"\n");
    Path copy = copyOfBase("submit");
    Result withWait = run(List.of(python(), ROOT.resolve("emr/tools/validate.py").toString(), copy.toString(),
        "--submit", oldSubmit.toString()), Map.of());
    assertThat(withWait.code()).isEqualTo(1);
    assertThat(withWait.output()).contains("[5] emr/submit waits with `aws emr wait`, which gives up after 30 minutes",
        "[5] emr/submit has a silent fallback (000000000000)", "[5] emr/submit has a silent fallback (eu-west-1)");

    assertFails(d -> edit(d, "cluster-cpu.json", n -> ((ObjectNode) n.path("Instances")).putArray("Ec2SubnetIds")
        .add("")), "[5] cluster-cpu.json: Ec2SubnetIds [''] are not subnet ids");
    assertFails(d -> edit(d, "settings.json", n -> ((ObjectNode) n).put("TASK", "another-name")),
        "[5] TASK another-name is not the experiment's name (irmas-cnn)");
    assertFails(d -> edit(d, "steps/train.json", n -> replaceArg(n.get(1), "timbre-jobs-0123456789ab.jar",
        "timbre-jobs-0.1.0-SNAPSHOT-shaded.jar")), "[5] step '" + TRAIN_STEP + "' runs "
        + "s3://example-bucket/timbre/jars/timbre-jobs-0.1.0-SNAPSHOT-shaded.jar: name jars by git commit");
    assertFails(d -> role(d, 3, r -> r.putObject("InlinePolicies").put("timbre-start", "iam/scheduler-policy.json")),
        "[5] TimbreSchedulerRole's policy name timbre-start is the same for every task");

    // Required settings never fall back to example values, and TASK is the experiment's name.
    Result noRegion = submit(Map.of("REGION", ""), "validate");
    assertThat(noRegion.code()).isNotZero();
    assertThat(noRegion.output()).contains("set REGION");
    Result noAccount = submit(Map.of("ACCOUNT_ID", ""), "validate");
    assertThat(noAccount.output()).contains("set ACCOUNT_ID");
    Result noSubnet = submit(Map.of("SUBNET_IDS", ""), "validate");
    assertThat(noSubnet.output()).contains("set SUBNET_IDS");
    Result badSubnet = submit(Map.of("SUBNET_IDS", "subnet-1,"), "validate");
    assertThat(badSubnet.code()).isNotZero();
    assertThat(badSubnet.output()).contains("SUBNET_IDS='subnet-1,' is not a valid value");
    Result otherTask = submit(Map.of("TASK", "not-the-experiment"), "validate");
    assertThat(otherTask.code()).isNotZero();
    assertThat(otherTask.output()).contains("TASK is the experiment's name");
  }

  @Test
  void problem6GpusHeldOutsideTrainingOrCpuStepsWithoutDynamicAllocation() throws Exception {
    JsonNode evaluate = read(base, "steps/evaluate.json");
    assertFails(d -> edit(d, "steps/train.json", n -> ((ArrayNode) n).add(evaluate.get(0))),
        "[6] cluster-gpu.json (GPU nodes) runs 'evaluate': GPUs billed for work that does not need them");
    assertFails(d -> edit(d, "steps/ingest.json", n -> replaceArg(n.get(0), "spark.dynamicAllocation.enabled=true",
        "spark.dynamicAllocation.enabled=false")),
        "[6] step 'timbre ingest irmas' runs without dynamic allocation");
    assertFails(d -> edit(d, "stepfunctions/retrain.asl.json", n -> {
      ObjectNode states = (ObjectNode) n.path("States");
      ((ObjectNode) states.path("Train")).put("Next", "CreateCpuEvalCluster");
      ((ObjectNode) states.path("Promote")).put("Next", "TerminateGpuCluster");
      ((ObjectNode) states.path("TerminateGpuCluster")).put("Next", "TerminateCpuEvalCluster");
    }), "[6] the state machine keeps the GPU cluster through Evaluate, Promote");
  }

  @Test
  void requestsThatDoNotMatchTheAwsApiOrTheStatesLanguage() throws Exception {
    assertFails(d -> edit(d, "cluster-cpu.json", n -> ((ObjectNode) n.path("Instances").path("InstanceFleets").get(1))
        .put("TargetOnDemandCapacity", "two")), "cluster-cpu.json: not a valid emr RunJobFlow request");
    assertFails(d -> edit(d, "steps/ingest.json", n -> ((ObjectNode) n.get(0)).put("ActionOnFailure", "RETRY")),
        "steps/ingest.json: not a valid emr AddJobFlowSteps request");
    assertFails(d -> edit(d, "stepfunctions/retrain.asl.json", n -> ((ObjectNode) n.path("States").path("Ingest"))
        .put("Next", "NoSuchState")), "retrain.asl.json: not valid Amazon States Language");
    assertFails(d -> edit(d, "iam/emr-instance-policy.json", n -> ((ArrayNode) n.path("Statement").get(2)
        .path("Action")).add("s3:*")), "iam/emr-instance-policy.json: wildcard action s3:*");
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  private interface Edit {
    void apply(Path dir) throws IOException;
  }

  private static void assertFails(Edit edit, String expected) throws Exception {
    Path copy = copyOfBase("case");
    edit.apply(copy);
    Result r = run(List.of(python(), ROOT.resolve("emr/tools/validate.py").toString(), copy.toString()), Map.of());
    assertThat(r.code()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("validate: " + expected);
  }

  private static int copies;

  private static Path copyOfBase(String name) throws IOException {
    Path copy = tmp.resolve(name + "-" + copies++);
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p : s.toList()) {
        Path target = copy.resolve(base.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  private static JsonNode read(Path dir, String rel) throws IOException {
    return JSON.readTree(dir.resolve(rel).toFile());
  }

  private static void edit(Path dir, String rel, Consumer<JsonNode> change) throws IOException {
    JsonNode n = read(dir, rel);
    change.accept(n);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(rel).toFile(), n);
  }

  /** Changes role {@code index} of roles.json. */
  private static void role(Path dir, int index, Consumer<ObjectNode> change) throws IOException {
    edit(dir, "iam/roles.json", n -> change.accept((ObjectNode) n.path("Roles").get(index)));
  }

  private static void removeStatement(JsonNode policy, String sid) {
    ArrayNode statements = (ArrayNode) policy.path("Statement");
    for (int i = statements.size() - 1; i >= 0; i--) {
      if (statements.get(i).path("Sid").asText().equals(sid)) {
        statements.remove(i);
      }
    }
  }

  private static void removeArg(JsonNode step, String arg, int count) {
    ArrayNode args = (ArrayNode) step.path("HadoopJarStep").path("Args");
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).asText().equals(arg)) {
        for (int k = 0; k < count; k++) {
          args.remove(i);
        }
        return;
      }
    }
    throw new IllegalArgumentException("no " + arg + " in " + step);
  }

  private static void replaceArg(JsonNode step, String from, String to) {
    ArrayNode args = (ArrayNode) step.path("HadoopJarStep").path("Args");
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).asText().contains(from)) {
        args.set(i, JSON.getNodeFactory().textNode(args.get(i).asText().replace(from, to)));
      }
    }
  }
}
