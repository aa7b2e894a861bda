package io.timbre.config;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * A config file a job was pointed at ({@code --model}, {@code --spec}, {@code --conf}), found the way a user on a
 * cluster expects:
 *
 * <ol>
 *   <li>a Hadoop URI ({@code s3a://…}, {@code hdfs://…}) is read through Hadoop;
 *   <li>a local path (or {@code file:} URI) that exists is read from disk, and HOCON includes resolve beside it;
 *   <li>a bare name shipped with {@code spark-submit --files}: on YARN the file is in the driver's working directory
 *       (the previous rule); on standalone and Kubernetes it is not, so the entry of {@code spark.files} with that
 *       name is read where the user put it, or, once a SparkContext runs, from {@link SparkFiles#get}.
 * </ol>
 *
 * @param location what the user wrote
 * @param text the file's content
 * @param localFile the file on local disk, when it is one (for relative includes)
 */
public record ConfigFile(String location, String text, File localFile) {

  /** Reads {@code location}; {@code what} names the option in errors ("experiment", "feature spec"). */
  public static ConfigFile read(String location, Configuration hadoop, String what) {
    URI uri = uri(location);
    if (uri != null && uri.getScheme() != null && !"file".equals(uri.getScheme())) {
      return new ConfigFile(location, readHadoop(location, hadoop, what), null);
    }
    File local = uri != null && "file".equals(uri.getScheme()) ? new File(uri.getPath()) : new File(location);
    if (local.isFile()) {
      return new ConfigFile(location, readLocal(local, location, what), local);
    }
    if (!location.contains("/")) {
      Optional<ConfigFile> shipped = shipped(location, hadoop, what);
      if (shipped.isPresent()) {
        return shipped.get();
      }
    }
    throw new IllegalArgumentException("Cannot read " + what + ": " + location + " is not a file"
        + (location.contains("/") ? "" : ", nor a file shipped with spark-submit --files (spark.files: "
            + new SparkConf(true).get("spark.files", "none") + ")"));
  }

  private static Optional<ConfigFile> shipped(String name, Configuration hadoop, String what) {
    for (String entry : shippedFiles()) {
      String path = uri(entry) != null && uri(entry).getPath() != null ? uri(entry).getPath() : entry;
      if (path.endsWith("/" + name) || path.equals(name) || entry.endsWith("#" + name)) {
        String source = entry.contains("#") ? entry.substring(0, entry.indexOf('#')) : entry;
        return Optional.of(new ConfigFile(name, readHadoop(source, hadoop, what), null));
      }
    }
    if (SparkEnv.get() != null) {
      File f = new File(SparkFiles.get(name));
      if (f.isFile()) {
        return Optional.of(new ConfigFile(name, readLocal(f, name, what), f));
      }
    }
    return Optional.empty();
  }

  /** spark-submit's {@code --files} as this JVM sees them ({@code spark.files}, set by spark-submit). */
  static List<String> shippedFiles() {
    List<String> files = new ArrayList<>();
    for (String f : new SparkConf(true).get("spark.files", "").split(",")) {
      if (!f.isBlank()) {
        files.add(f.strip());
      }
    }
    return files;
  }

  private static URI uri(String location) {
    try {
      URI u = new URI(location);
      return u.getScheme() != null && u.getScheme().length() > 1 ? u : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static String readLocal(File f, String location, String what) {
    try {
      return Files.readString(f.toPath(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + what + " " + location + ": " + e.getMessage(), e);
    }
  }

  private static String readHadoop(String location, Configuration hadoop, String what) {
    Path p = new Path(location);
    try (InputStream in = p.getFileSystem(hadoop).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + what + " " + location + ": " + e.getMessage(), e);
    }
  }
}
