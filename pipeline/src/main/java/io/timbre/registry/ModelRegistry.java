package io.timbre.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Model aliases on any Hadoop file system: {@code <root>/aliases/<task>/champion.json} names the run that serves a
 * task (the experiment name), {@code history/} keeps every champion it replaced and {@code decisions/} every
 * promotion attempt. Consumers name a model by alias ({@code <root>/aliases/<task>}) and follow the champion without
 * knowing run ids.
 */
public final class ModelRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelRegistry() {}

  /** {@code <root>/aliases/<task>}. */
  public static Path aliasDir(String root, String task) {
    if (task.isBlank() || task.contains("/") || task.startsWith(".") || task.startsWith("_")) {
      throw new IllegalArgumentException("Invalid task name '" + task + "' (an experiment name: no '/', not hidden)");
    }
    return new Path(new Path(root, "aliases"), task);
  }

  /** The current champion of a task, if any. */
  public static Optional<ChampionRecord> champion(String root, String task, Configuration conf) {
    return ChampionRecord.readIfPresent(aliasDir(root, task), conf);
  }

  /**
   * The run folder a model reference names: a run folder itself (it has {@code model.json}), an alias folder
   * ({@code <root>/aliases/<task>}) or an alias file ({@code champion.json}).
   */
  public static String resolveModel(String reference, Configuration conf) {
    String ref = reference.endsWith("/") ? reference.substring(0, reference.length() - 1) : reference;
    try {
      Path p = new Path(ref);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(new Path(p, "model.json"))) {
        return ref;
      }
      Path alias = ref.endsWith(".json") ? p : new Path(p, "champion.json");
      if (fs.exists(alias) && fs.getFileStatus(alias).isFile()) {
        String run = ChampionRecord.runDirOf(alias, conf);
        if (run.isEmpty()) {
          throw new IncompatibleArtefactException("Alias " + alias + " names no run_dir");
        }
        return run;
      }
    } catch (IOException e) {
      throw new StorageException("Cannot resolve the model " + reference + ": " + e.getMessage(), e);
    }
    throw new IncompatibleArtefactException("Cannot resolve the model " + reference + ": it is neither a finished run (no "
        + "model.json) nor an alias (<root>/aliases/<task> with a champion.json)");
  }
}
