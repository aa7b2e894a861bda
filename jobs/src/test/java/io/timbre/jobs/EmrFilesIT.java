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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The EMR deployment files cannot be deployed here, so everything about them that can be checked without AWS is
 * (the checks against AWS's own API models and the first-run mistakes are {@link EmrValidateIT}'s): they parse, they
 * use only the variables the renderer fills in, the classes and commands their steps name exist in the shaded jar and
 * accept those options, the config they pass has only known keys, the state machine runs exactly the step files on
 * the right cluster and always terminates both clusters, and the shaded jar runs with Spark provided separately, as
 * spark-submit runs it.
 */
class EmrFilesIT {
  static final Path ROOT = Path.of(System.getProperty("timbre.repo.root", "..")).toAbsolutePath().normalize();
  private static final Path EMR = ROOT.resolve("emr");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z_]+)}");

  /** The settings emr/submit needs, with sample values (the rest have defaults). */
  static final Map<String, String> SAMPLE = new LinkedHashMap<>();

  static {
    SAMPLE.put("BUCKET", "example-bucket");
    SAMPLE.put("REGION", "eu-west-1");
    SAMPLE.put("ACCOUNT_ID", "123456789012");
    SAMPLE.put("SUBNET_IDS", "subnet-0123456789abcdef0,subnet-0fedcba9876543210");
    SAMPLE.put("RUN_ID", "20261122T030000Z-submit");
    SAMPLE.put("JAR", "timbre-jobs-0123456789ab.jar");
  }

  @TempDir static Path tmp;
  private static Path rendered;

  @BeforeAll
  static void render() throws Exception {
    rendered = tmp.resolve("rendered");
    EmrValidateIT.submit(Map.of(), "render", rendered.toString()).requireSuccess();
  }

  static Path shadedJar() {
    try (Stream<Path> s = Files.list(ROOT.resolve("jobs/target"))) {
      return s.filter(p -> p.getFileName().toString().endsWith("-shaded.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no shaded jar in jobs/target: run mvn package first"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode rendered(String relative) throws IOException {
    return JSON.readTree(Files.readString(rendered.resolve(relative), StandardCharsets.UTF_8));
  }

  static JsonNode settings() throws IOException {
    return rendered("settings.json");
  }

  static List<JsonNode> allSteps() throws IOException {
    List<JsonNode> steps = new ArrayList<>();
    for (String f : List.of("steps/ingest.json", "steps/train.json", "steps/evaluate.json")) {
      rendered(f).forEach(steps::add);
    }
    return steps;
  }

  @Test
  void everyTemplateParsesAndUsesOnlyTheVariablesTheRendererFillsIn() throws Exception {
    String renderer = Files.readString(EMR.resolve("tools/render.py"));
    Set<String> declared = new TreeSet<>();
    Matcher v = Pattern.compile("^    \"([A-Z_]+)\": r\"", Pattern.MULTILINE).matcher(renderer);
    while (v.find()) {
      declared.add(v.group(1));
    }
    assertThat(declared).contains("BUCKET", "REGION", "ACCOUNT_ID", "SUBNET_IDS", "TASK", "JAR", "CUDA_REDIST_JAR");
    List<Path> templates;
    try (Stream<Path> s = Files.walk(EMR)) {
      templates = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(templates).hasSizeGreaterThanOrEqualTo(14);
    for (Path t : templates) {
      String text = Files.readString(t);
      JSON.readTree(text); // valid JSON as committed (variables sit inside strings)
      Matcher m = VAR.matcher(text);
      while (m.find()) {
        assertThat(declared).as("%s uses ${%s}", t, m.group(1)).contains(m.group(1));
      }
      String relative = EMR.relativize(t).toString();
      assertThat(Files.readString(rendered.resolve(relative))).as(relative).doesNotContain("${");
    }
    assertThat(settings().path("TASK").asText()).isEqualTo("irmas-cnn"); // the experiment's name
    assertThat(rendered("cluster-cpu.json").path("Instances").path("Ec2SubnetIds")).hasSize(2);
  }

  @Test
  void clustersShareJvmFlagsAndKeepJavaCppInsideTheirContainers() throws IOException {
    List<String> flags = Files.readAllLines(ROOT.resolve("conf/jvm-flags.txt")).stream().map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    for (String cluster : List.of("cluster-cpu.json", "cluster-gpu.json")) {
      JsonNode c = rendered(cluster);
      assertThat(c.path("ReleaseLabel").asText()).matches("emr-7\\.\\d+\\.\\d+");
      assertThat(c.path("LogUri").asText()).startsWith("s3://example-bucket/timbre/");
      assertThat(c.path("AutoTerminationPolicy").path("IdleTimeout").asInt()).isPositive();
      JsonNode sd = null;
      for (JsonNode x : c.path("Configurations")) {
        if (x.path("Classification").asText().equals("spark-defaults")) {
          sd = x.path("Properties");
        }
      }
      assertThat(sd).as(cluster).isNotNull();
      for (String opts : List.of("spark.executor.extraJavaOptions", "spark.driver.extraJavaOptions")) {
        assertThat(List.of(sd.path(opts).asText().split("\\s+"))).as(cluster + " " + opts).containsAll(flags);
      }
      // JavaCPP may not use more physical memory than YARN gives the executor container.
      double container = gib(sd.path("spark.executor.memory").asText())
          + gib(sd.path("spark.executor.memoryOverhead").asText());
      Matcher phys = Pattern.compile("maxphysicalbytes=(\\d+)G").matcher(sd.path("spark.executor.extraJavaOptions")
          .asText());
      assertThat(phys.find()).isTrue();
      assertThat(Double.parseDouble(phys.group(1))).as(cluster).isLessThanOrEqualTo(container);
      assertThat(sd.path("spark.hadoop.fs.s3a.committer.name").asText()).isEqualTo("magic");
      for (JsonNode ba : c.path("BootstrapActions")) {
        String path = ba.path("ScriptBootstrapAction").path("Path").asText();
        assertThat(path).startsWith("s3://example-bucket/timbre/emr/bootstrap/");
        assertThat(EMR.resolve("bootstrap").resolve(path.substring(path.lastIndexOf('/') + 1))).isRegularFile();
      }
    }
  }

  private static double gib(String v) {
    return Double.parseDouble(v.substring(0, v.length() - 1)) / (v.endsWith("m") ? 1024 : 1);
  }

  @Test
  void stepsNameRealClassesCommandsOptionsFilesAndConfigKeys() throws IOException {
    List<JsonNode> steps = allSteps();
    assertThat(steps).hasSize(5);
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
        int jars = args.indexOf("--jars");
        if (jars > 0 && jars < jarAt) {
          assertThat(args.get(jars + 1)).isEqualTo("s3://example-bucket/timbre/jars/"
              + settings().path("CUDA_REDIST_JAR").asText());
        }
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
          FeatureSpec.parse(Files.readString(ROOT.resolve("conf/specs/" + settings().path("SPEC").asText())));
        }
        if (command.contains("--model")) {
          Experiment ex = Experiment.load(ROOT.resolve("conf/experiments/" + settings().path("EXPERIMENT").asText())
              .toFile());
          assertThat(ex.name()).isEqualTo(settings().path("TASK").asText());
        }
        if (command.get(0).equals("train")) {
          assertThat(args).contains("spark.executor.resource.gpu.amount=1", "spark.task.resource.gpu.amount=1");
          assertThat(command.get(command.indexOf("--run-id") + 1)).isEqualTo(SAMPLE.get("RUN_ID"));
          assertThat(args.get(args.indexOf("--num-executors") + 1))
              .isEqualTo(command.get(command.indexOf("--workers") + 1));
        }
      }
    }
    assertThat(commands).containsExactly("ingest", "doctor", "train", "evaluate", "promote");

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
  void stateMachineRunsTheSameStepsAndAlwaysTerminatesTheClusters() throws Exception {
    // The committed state machine is what the renderer script makes of the cluster and step files.
    Process p = new ProcessBuilder(EmrValidateIT.python(), EMR.resolve("tools/render_state_machine.py").toString())
        .start();
    String regenerated = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(JSON.readTree(regenerated)).as("re-run emr/tools/render_state_machine.py")
        .isEqualTo(JSON.readTree(Files.readString(EMR.resolve("stepfunctions/retrain.asl.json"))));

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
    assertThat(states.path("CreateCpuCluster").path("Parameters")).isEqualTo(rendered("cluster-cpu.json"));
    assertThat(states.path("CreateGpuCluster").path("Parameters")).isEqualTo(rendered("cluster-gpu.json"));
    assertThat(states.path("CreateCpuEvalCluster").path("Parameters")).isEqualTo(rendered("cluster-cpu.json"));

    // Every step state: addStep.sync on its cluster, a Catch that cleans up, and exactly the args of the step files
    // with the run id = the execution name.
    ObjectNode context = JSON.createObjectNode();
    context.putObject("timbre").put("run_id", SAMPLE.get("RUN_ID"));
    List<JsonNode> steps = allSteps();
    List<String> stepStates = List.of("Ingest", "Doctor", "Train", "Evaluate", "Promote");
    List<String> clusterOf = List.of("Cpu", "Gpu", "Gpu", "CpuEval", "CpuEval");
    for (int i = 0; i < stepStates.size(); i++) {
      JsonNode s = states.path(stepStates.get(i));
      assertThat(s.path("Resource").asText()).isEqualTo("arn:aws:states:::elasticmapreduce:addStep.sync");
      assertThat(s.path("Parameters").path("ClusterId.$").asText())
          .isEqualTo("$.clusters." + clusterOf.get(i) + ".ClusterId");
      assertThat(s.path("Catch").get(0).path("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
      assertThat(s.path("Catch").get(0).path("Next").asText()).isEqualTo("CleanUpAfterFailure");
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
    // No cluster idles while another works; each ends when its steps do.
    assertThat(states.path("Ingest").path("Next").asText()).isEqualTo("TerminateCpuCluster");
    assertThat(states.path("Train").path("Next").asText()).isEqualTo("TerminateGpuCluster");
    assertThat(states.path("TerminateGpuCluster").path("Next").asText()).isEqualTo("CreateCpuEvalCluster");
    assertThat(states.path("Promote").path("Next").asText()).isEqualTo("TerminateCpuEvalCluster");
    assertThat(states.path("CleanUpAfterFailure").path("Branches")).hasSize(3);
    assertThat(states.path("CleanUpAfterFailure").path("Next").asText()).isEqualTo("Alert");
    assertThat(states.path("Alert").path("Resource").asText()).isEqualTo("arn:aws:states:::sns:publish");
    assertThat(states.path("Alert").path("Next").asText()).isEqualTo("Failed");
    assertThat(states.path("OnlyThisExecution").path("Choices").get(0).path("Next").asText())
        .isEqualTo("AlreadyRunning");

    JsonNode schedule = rendered("scheduler/schedule.json");
    assertThat(schedule.path("Target").path("Arn").asText())
        .isEqualTo("arn:aws:states:eu-west-1:123456789012:stateMachine:timbre-irmas-cnn-retrain");
    assertThat(schedule.path("ScheduleExpression").asText()).startsWith("cron(");
  }

  @Test
  void scriptsAreValidBash() throws Exception {
    for (String script : List.of("emr/submit", "emr/bootstrap/timbre-node.sh", "bench/gpu-check.sh")) {
      Process p = new ProcessBuilder("bash", "-n", ROOT.resolve(script).toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("%s: %s", script, out).isZero();
      assertThat(Files.isExecutable(ROOT.resolve(script))).isTrue();
    }
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
