package io.timbre.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code ./timbre <command>} locally, {@code spark-submit --class io.timbre.jobs.Timbre
 * timbre-jobs-*-shaded.jar <command>} on a cluster. Each command is a thin picocli class over the pipeline library.
 */
@Command(
    name = "timbre",
    mixinStandardHelpOptions = true,
    versionProvider = Timbre.Version.class,
    description = "Spark batch jobs for music-information retrieval: audio datasets to Parquet feature tables, "
        + "Deeplearning4j training by parameter averaging, evaluation metrics on S3.",
    subcommands = {IngestCommand.class, TrainCommand.class, TuneCommand.class, EvaluateCommand.class, PredictCommand.class,
        SeparateCommand.class, GenerateCommand.class, PromoteCommand.class, DemoCommand.class, FeaturesCommand.class, MakeSampleDataCommand.class, ListDatasetCommand.class,
        BenchCommand.class, DoctorCommand.class,
        CommandLine.HelpCommand.class})
public final class Timbre implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = execute(args);
    // In YARN cluster deploy mode main runs inside Spark's ApplicationMaster, which reports the application's final
    // status when main returns; System.exit(0) there runs its shutdown hook first, the application is reported as
    // FAILED and YARN starts a second attempt of a job that had succeeded. Failures still exit with their code.
    if (code == 0 && insideYarnApplicationMaster()) {
      return;
    }
    System.exit(code);
  }

  static boolean insideYarnApplicationMaster() {
    return System.getProperty("spark.master", "").startsWith("yarn")
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }

  /** Runs a command line and returns its exit code (tests call this rather than {@link #main}). */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line writing to the given streams; returns its exit code. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Timbre()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      // Expected failures get one clear line; anything else its stack trace.
      ExitCodes.Outcome outcome = ExitCodes.of(e).orElseThrow(() -> e);
      commandLine.getErr().println("timbre " + commandLine.getCommandName() + ": " + outcome.line());
      return outcome.code();
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version Maven filtered into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Timbre.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"timbre " + p.getProperty("version", "unknown"),
          "Java " + Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
  }
}
