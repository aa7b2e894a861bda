package io.timbre.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.config.JobConfig;
import io.timbre.features.FeatureSpec;
import io.timbre.train.Experiment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The EMR deployment files cannot be deployed here, so everything about them that can be checked is: they parse,
 * they use only the variables emr/submit fills in, the classes and commands their steps name exist in the shaded jar
 * and accept those options, the config they pass has only known keys, the state machine runs exactly emr/steps.json
 * and always terminates its cluster, the IAM policies grant what the state machine uses and nothing broad, and the
 * shaded jar runs with Spark provided separately, as spark-submit runs it.
 */
class EmrFilesIT {
  private static final Path ROOT = Path.of(System.getProperty("timbre.repo.root", "..")).toAbsolutePath()
      .normalize();
  private static final Path EMR = ROOT.resolve("emr");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z_]+)}");

  static final Map<String, String> SAMPLE = new LinkedHashMap<>();

  static {
    SAMPLE.put("BUCKET", "example-bucket");
    SAMPLE.put("PREFIX", "timbre");
    SAMPLE.put("TASK", "irmas-cnn");
    SAMPLE.put("DATASET", "irmas");
    SAMPLE.put("DATASET_ROOT", "s3a://example-bucket/datasets/IRMAS");
    SAMPLE.put("SPEC", "logmel-1s.conf");
    SAMPLE.put("EXPERIMENT", "irmas-cnn.conf");
    SAMPLE.put("JAR", shadedJar().getFileName().toString());
    SAMPLE.put("GPU_EXECUTORS", "2");
    SAMPLE.put("EVAL_SPLIT", "test");
    SAMPLE.put("RUN_ID", "20261122T030000Z-submit");
    SAMPLE.put("SUBNET_ID", "subnet-0123456789abcdef0");
    SAMPLE.put("REGION", "eu-west-1");
    SAMPLE.put("ACCOUNT_ID", "123456789012");
    SAMPLE.put("SCHEDULE", "cron(0 3 ? * SUN *)");
  }

  static Path shadedJar() {
    try (Stream<Path> s = Files.list(ROOT.resolve("jobs/target"))) {
      return s.filter(p -> p.getFileName().toString().endsWith("-shaded.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no shaded jar in jobs/target: run mvn package first"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String render(String text) {
    Matcher m = VAR.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(SAMPLE.get(m.group(1))));
    }
    m.appendTail(b);
    return b.toString();
  }

  static JsonNode rendered(String relative) throws IOException {
    return JSON.readTree(render(Files.readString(EMR.resolve(relative), StandardCharsets.UTF_8)));
  }

  @Test
  void everyTemplateParsesAndUsesOnlyTheVariablesSubmitFillsIn() throws IOException {
    String submit = Files.readString(EMR.resolve("submit"));
    Matcher line = Pattern.compile("TEMPLATE_VARS='([^']*)'").matcher(submit);
    assertThat(line.find()).isTrue();
    Set<String> declared = new TreeSet<>();
    Matcher v = VAR.matcher(line.group(1));
    while (v.find()) {
      declared.add(v.group(1));
    }
    assertThat(declared).isEqualTo(SAMPLE.keySet().stream().collect(java.util.stream.Collectors.toCollection(
        TreeSet::new)));
    List<Path> templates;
    try (Stream<Path> s = Files.walk(EMR)) {
      templates = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(templates).hasSizeGreaterThanOrEqualTo(10);
    for (Path t : templates) {
      String text = Files.readString(t);
      JSON.readTree(text); // valid JSON as committed (variables sit inside strings)
      Matcher m = VAR.matcher(text);
      while (m.find()) {
        assertThat(declared).as("%s uses ${%s}", t, m.group(1)).contains(m.group(1));
      }
      JSON.readTree(render(text));
    }
  }

  @Test
  void clusterHasGpuSchedulingOffHeapMemoryCommittersAndAutoTermination() throws IOException {
    JsonNode c = rendered("cluster.json");
    assertThat(c.path("ReleaseLabel").asText()).matches("emr-7\\.\\d+\\.\\d+");
    assertThat(c.path("Applications").findValuesAsText("Name")).contains("Spark", "Hadoop");
    assertThat(c.path("LogUri").asText()).startsWith("s3://example-bucket/timbre/");
    assertThat(c.path("AutoTerminationPolicy").path("IdleTimeout").asInt()).isPositive();
    Map<String, JsonNode> classes = new LinkedHashMap<>();
    c.path("Configurations").forEach(x -> classes.put(x.path("Classification").asText(), x));
    assertThat(classes).containsKeys("spark-defaults", "yarn-site", "container-executor", "capacity-scheduler");
    JsonNode yarn = classes.get("yarn-site").path("Properties");
    assertThat(yarn.path("yarn.nodemanager.resource-plugins").asText()).isEqualTo("yarn.io/gpu");
    assertThat(yarn.path("yarn.resource-types").asText()).isEqualTo("yarn.io/gpu");
    assertThat(yarn.path("yarn.nodemanager.container-executor.class").asText()).endsWith("LinuxContainerExecutor");
    JsonNode ce = classes.get("container-executor").path("Configurations");
    assertThat(ce.toString()).contains("\"gpu\"", "module.enabled");
    assertThat(classes.get("capacity-scheduler").path("Properties")
        .path("yarn.scheduler.capacity.resource-calculator").asText()).endsWith("DominantResourceCalculator");
    JsonNode sd = classes.get("spark-defaults").path("Properties");
    assertThat(sd.path("spark.executor.resource.gpu.discoveryScript").asText()).endsWith("getGpusResources.sh");
    assertThat(sd.path("spark.executor.memoryOverhead").asText()).matches("\\d+g");
    List<String> flags = Files.readAllLines(ROOT.resolve("conf/jvm-flags.txt")).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    for (String opts : List.of("spark.executor.extraJavaOptions", "spark.driver.extraJavaOptions")) {
      List<String> given = List.of(sd.path(opts).asText().split("\\s+"));
      assertThat(given).as(opts).containsAll(flags);
      assertThat(sd.path(opts).asText()).contains("-Dorg.bytedeco.javacpp.maxbytes=",
          "-Dorg.bytedeco.javacpp.maxphysicalbytes=");
    }
    // JavaCPP may not use more physical memory than YARN gives the executor container.
    double container = gib(sd.path("spark.executor.memory").asText()) + gib(sd.path("spark.executor.memoryOverhead")
        .asText());
    Matcher phys = Pattern.compile("maxphysicalbytes=(\\d+)G").matcher(sd.path("spark.executor.extraJavaOptions")
        .asText());
    assertThat(phys.find()).isTrue();
    assertThat(Double.parseDouble(phys.group(1))).isLessThanOrEqualTo(container);
    assertThat(sd.path("spark.hadoop.fs.s3a.committer.name").asText()).isEqualTo("magic");
    List<String> fleets = c.path("Instances").path("InstanceFleets").findValuesAsText("InstanceType");
    assertThat(fleets).anyMatch(t -> t.startsWith("g5.") || t.startsWith("g4dn."));
    for (JsonNode ba : c.path("BootstrapActions")) {
      String path = ba.path("ScriptBootstrapAction").path("Path").asText();
      assertThat(path).startsWith("s3://example-bucket/timbre/emr/bootstrap/");
      assertThat(EMR.resolve("bootstrap").resolve(path.substring(path.lastIndexOf('/') + 1))).isRegularFile();
    }
  }

  private static double gib(String v) {
    return Double.parseDouble(v.substring(0, v.length() - 1)) / (v.endsWith("m") ? 1024 : 1);
  }

  @Test
  void stepsNameRealClassesCommandsOptionsFilesAndConfigKeys() throws IOException {
    JsonNode steps = rendered("steps.json");
    assertThat(steps).hasSize(4);
    List<String> commands = new ArrayList<>();
    try (JarFile jar = new JarFile(shadedJar().toFile())) {
      for (JsonNode step : steps) {
        assertThat(step.path("HadoopJarStep").path("Jar").asText()).isEqualTo("command-runner.jar");
        List<String> args = new ArrayList<>();
        step.path("HadoopJarStep").path("Args").forEach(a -> args.add(a.asText()));
        assertThat(args.get(0)).isEqualTo("spark-submit");
        String mainClass = args.get(args.indexOf("--class") + 1);
        assertThat(jar.getEntry(mainClass.replace('.', '/') + ".class")).as(mainClass).isNotNull();
        int jarAt = -1;
        for (int i = 1; i < args.size(); i++) {
          if (args.get(i).endsWith(".jar") && !args.get(i - 1).startsWith("--")) {
            jarAt = i;
            break;
          }
        }
        assertThat(args.get(jarAt)).isEqualTo("s3://example-bucket/timbre/jars/" + SAMPLE.get("JAR"));
        List<String> shipped = new ArrayList<>();
        int files = args.indexOf("--files");
        if (files > 0 && files < jarAt) {
          for (String f : args.get(files + 1).split(",")) {
            assertThat(f).startsWith("s3://example-bucket/timbre/conf/");
            Path local = ROOT.resolve("conf").resolve(f.substring("s3://example-bucket/timbre/conf/".length()));
            assertThat(local).as("--files %s is uploaded from %s", f, local).isRegularFile();
            shipped.add(local.toString());
          }
        }
        List<String> command = args.subList(jarAt + 1, args.size());
        commands.add(command.get(0));
        // The command line parses: the command exists and takes every option given, with its required ones.
        CommandLine.ParseResult parsed = new CommandLine(new Timbre()).parseArgs(command.toArray(String[]::new));
        assertThat(parsed.subcommand()).as("%s", command).isNotNull();
        // Files named by bare name are the ones shipped with --files (cluster mode puts them in the driver's cwd).
        for (String option : List.of("--conf", "--spec", "--model")) {
          int at = command.indexOf(option);
          if (at >= 0 && !command.get(at + 1).contains("://")) {
            assertThat(shipped).as("%s %s", option, command.get(at + 1))
                .anyMatch(s -> s.endsWith("/" + command.get(at + 1)));
          }
        }
        if (command.contains("--spec")) {
          FeatureSpec.parse(Files.readString(ROOT.resolve("conf/specs/" + SAMPLE.get("SPEC"))));
        }
        if (command.contains("--model")) {
          Experiment ex = Experiment.load(ROOT.resolve("conf/experiments/" + SAMPLE.get("EXPERIMENT")).toFile());
          assertThat(ex.name()).isEqualTo(SAMPLE.get("TASK"));
        }
        if (command.get(0).equals("train")) {
          assertThat(args).contains("spark.executor.resource.gpu.amount=1", "spark.task.resource.gpu.amount=1");
          assertThat(command.get(command.indexOf("--run-id") + 1)).isEqualTo(SAMPLE.get("RUN_ID"));
        }
      }
    }
    assertThat(commands).containsExactly("ingest", "train", "evaluate", "promote");

    // The one config every step passes: only the keys the jobs know.
    JobConfig conf = JobConfig.load(ROOT.resolve("conf/emr.conf").toFile());
    conf.section("ingest", IngestCommand.CONFIG_KEYS);
    conf.section("predict", PredictCommand.CONFIG_KEYS);
    conf.section("promote", PromoteCommand.CONFIG_KEYS).getString("metric", "");
    conf.section("evaluate", Set.of("theta", "top-k")).getInt("top-k", 3);
    JsonNode tree = JSON.readTree(com.typesafe.config.ConfigFactory.parseFile(ROOT.resolve("conf/emr.conf").toFile())
        .resolve().root().render(com.typesafe.config.ConfigRenderOptions.concise()));
    Iterator<String> sections = tree.path("timbre").fieldNames();
    while (sections.hasNext()) {
      assertThat(Set.of("ingest", "evaluate", "predict", "promote", "spark", "hadoop")).contains(sections.next());
    }
    assertThat(tree.toString()).doesNotContainIgnoringCase("secret.key").doesNotContainIgnoringCase("access.key");
  }

  @Test
  void stateMachineRunsTheSameStepsAndAlwaysTerminatesTheCluster() throws IOException {
    JsonNode asl = rendered("stepfunctions/retrain.asl.json");
    JsonNode states = asl.path("States");
    Set<String> names = new TreeSet<>();
    states.fieldNames().forEachRemaining(names::add);
    assertThat(names).contains(asl.path("StartAt").asText());
    for (String n : names) {
      JsonNode s = states.path(n);
      if (s.has("Next")) {
        assertThat(names).as("%s.Next", n).contains(s.path("Next").asText());
      }
      s.path("Catch").forEach(c -> assertThat(names).contains(c.path("Next").asText()));
    }
    assertThat(states.path("CreateCluster").path("Resource").asText())
        .isEqualTo("arn:aws:states:::elasticmapreduce:createCluster.sync");
    assertThat(states.path("CreateCluster").path("Parameters")).isEqualTo(rendered("cluster.json"));

    // Every step state: addStep.sync, a Catch that terminates the cluster, and exactly the args of steps.json with
    // the run id = the execution name.
    JsonNode steps = JSON.readTree(render(Files.readString(EMR.resolve("steps.json"))
        .replace("${RUN_ID}", "exec-42")));
    ObjectNode context = JSON.createObjectNode();
    context.putObject("timbre").put("run_id", "exec-42");
    List<String> stepStates = List.of("Ingest", "Train", "Evaluate", "Promote");
    for (int i = 0; i < stepStates.size(); i++) {
      JsonNode s = states.path(stepStates.get(i));
      assertThat(s.path("Resource").asText()).isEqualTo("arn:aws:states:::elasticmapreduce:addStep.sync");
      assertThat(s.path("Catch").get(0).path("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
      assertThat(s.path("Catch").get(0).path("Next").asText()).isEqualTo("TerminateAfterFailure");
      JsonNode hjs = s.path("Parameters").path("Step").path("HadoopJarStep");
      List<String> args = new ArrayList<>();
      if (hjs.has("Args.$")) {
        for (Object o : (List<?>) StepFunctionsIntrinsics.eval(hjs.path("Args.$").asText(), context)) {
          args.add((String) o);
        }
      } else {
        hjs.path("Args").forEach(a -> args.add(a.asText()));
      }
      List<String> expected = new ArrayList<>();
      steps.get(i).path("HadoopJarStep").path("Args").forEach(a -> expected.add(a.asText()));
      assertThat(args).as(stepStates.get(i)).isEqualTo(expected);
    }
    assertThat(states.path("TerminateAfterFailure").path("Resource").asText())
        .isEqualTo("arn:aws:states:::elasticmapreduce:terminateCluster.sync");
    assertThat(states.path("TerminateAfterFailure").path("Next").asText()).isEqualTo("Failed");
    assertThat(states.path("Failed").path("Type").asText()).isEqualTo("Fail");
    assertThat(states.path("Terminate").path("Next").asText()).isEqualTo("Succeeded");

    JsonNode schedule = rendered("scheduler/schedule.json");
    assertThat(schedule.path("Target").path("Arn").asText())
        .isEqualTo("arn:aws:states:eu-west-1:123456789012:stateMachine:timbre-irmas-cnn-retrain");
    assertThat(schedule.path("ScheduleExpression").asText()).startsWith("cron(");
  }

  @Test
  void iamPoliciesGrantWhatTheStateMachineUsesAndNothingBroad() throws IOException {
    List<Path> policies;
    try (Stream<Path> s = Files.list(EMR.resolve("iam"))) {
      policies = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    Set<String> actionsOfStateMachine = new TreeSet<>();
    for (Path p : policies) {
      JsonNode doc = rendered("iam/" + p.getFileName());
      assertThat(doc.path("Version").asText()).isEqualTo("2012-10-17");
      for (JsonNode st : doc.path("Statement")) {
        List<String> actions = new ArrayList<>();
        if (st.path("Action").isArray()) {
          st.path("Action").forEach(a -> actions.add(a.asText()));
        } else {
          actions.add(st.path("Action").asText());
        }
        for (String a : actions) {
          assertThat(a).as("%s: no wildcard actions", p).doesNotContain("*");
        }
        if (st.path("Resource").asText().equals("*")) {
          assertThat(actions).as("%s: only RunJobFlow takes Resource *", p)
              .containsExactly("elasticmapreduce:RunJobFlow");
        }
        if (p.getFileName().toString().equals("stepfunctions-policy.json")) {
          actionsOfStateMachine.addAll(actions);
        }
      }
    }
    // What createCluster.sync / addStep.sync / terminateCluster.sync call (AWS's documented IAM for these
    // integrations).
    assertThat(actionsOfStateMachine).contains("elasticmapreduce:RunJobFlow", "elasticmapreduce:DescribeCluster",
        "elasticmapreduce:TerminateJobFlows", "elasticmapreduce:AddJobFlowSteps", "elasticmapreduce:DescribeStep",
        "elasticmapreduce:CancelSteps", "iam:PassRole", "events:PutTargets", "events:PutRule",
        "events:DescribeRule");
    assertThat(rendered("iam/scheduler-policy.json").path("Statement").get(0).path("Resource").asText())
        .isEqualTo(rendered("scheduler/schedule.json").path("Target").path("Arn").asText());
    JsonNode cluster = rendered("cluster.json");
    assertThat(rendered("iam/stepfunctions-policy.json").toString()).contains("role/" + cluster.path("ServiceRole")
        .asText());
  }

  @Test
  void scriptsAreValidBash() throws Exception {
    for (String script : List.of("emr/submit", "emr/bootstrap/timbre-node.sh")) {
      Process p = new ProcessBuilder("bash", "-n", ROOT.resolve(script).toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("%s: %s", script, out).isZero();
      assertThat(Files.isExecutable(ROOT.resolve(script))).isTrue();
    }
  }

  @Test
  void submitRendersTheTemplatesItSends(@TempDir Path tmp) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("emr/submit").toString(), "render", tmp.toString())
        .redirectErrorStream(true);
    pb.environment().put("BUCKET", "example-bucket");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    for (String f : List.of("cluster.json", "steps.json", "stepfunctions/retrain.asl.json", "scheduler/schedule.json",
        "iam/stepfunctions-policy.json")) {
      String text = Files.readString(tmp.resolve(f));
      assertThat(text).as(f).doesNotContain("${");
      JSON.readTree(text);
    }
    assertThat(Files.readString(tmp.resolve("steps.json"))).contains("s3://example-bucket/timbre/jars/");
  }

  /** The shaded jar with only what a cluster's Spark provides next to it, as spark-submit runs it. */
  @Test
  void shadedJarRunsWithSparkProvidedSeparately(@TempDir Path tmp) throws Exception {
    String provided = Files.readString(ROOT.resolve("jobs/target/spark-provided.classpath")).trim();
    assertThat(provided).contains("spark-core_2.12").doesNotContain("s3proxy").doesNotContain("timbre-pipeline");
    String scala = Files.readString(ROOT.resolve("jobs/target/spark-provided-scala.classpath")).trim();
    String cp = shadedJar() + File.pathSeparator + provided + File.pathSeparator + scala;
    String help = runJar(cp, tmp, "--help");
    for (String command : List.of("ingest", "train", "tune", "evaluate", "predict", "promote", "demo")) {
      assertThat(help).contains(command);
    }
    assertThat(runJar(cp, tmp, "promote", "--help")).contains("--margin");
    // A real local Spark job from the shaded jar: sample data, then ingest.
    runJar(cp, tmp, "make-sample-data", "--dataset", "irmas", "--out", tmp.resolve("irmas").toString(),
        "--clips-per-class", "1");
    String ingest = runJar(cp, tmp, "ingest", "--dataset", "irmas", "--input", tmp.resolve("irmas").toString(),
        "--output", tmp.resolve("tables").toString(), "--master", "local[1]");
    assertThat(ingest).contains("0 quarantined", "table ");
  }

  private static String runJar(String cp, Path cwd, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    cmd.addAll(List.of(System.getProperty("timbre.jvm.flags").trim().split("\\s+")));
    cmd.addAll(List.of("-cp", cp, "io.timbre.jobs.Timbre"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("%s%n%s", String.join(" ", args), out).isZero();
    return out;
  }
}
