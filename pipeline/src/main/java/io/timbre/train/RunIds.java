package io.timbre.train;

import io.timbre.exceptions.BadConfigException;
import io.timbre.store.AtomicFiles;
import io.timbre.table.TableInfo;
import io.timbre.util.RunStamp;
import io.timbre.util.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Names of training runs: new ones, and the run a {@code --resume} continues. */
final class RunIds {
  private RunIds() {}

  /** {@link RunStamp} and a digest of what is trained on what, so runs sort by time and say which settings. */
  static String fresh(Experiment ex, TableInfo table) {
    return RunStamp.now() + "-" + Sha256.hex(ex.fingerprint() + table.inputFingerprint()).substring(0, 8);
  }

  /** The run to resume: the given one, or the newest in the task folder that has no model.json yet. */
  static String resumable(Path taskDir, String runId, org.apache.hadoop.conf.Configuration conf) throws IOException {
    FileSystem fs = taskDir.getFileSystem(conf);
    if (runId != null) {
      if (fs.exists(new Path(new Path(taskDir, runId), "model.json"))) {
        throw new BadConfigException("Run " + new Path(taskDir, runId) + " is already complete (model.json "
            + "exists); nothing to resume");
      }
      return runId;
    }
    if (!fs.exists(taskDir)) {
      throw new BadConfigException("Nothing to resume: " + taskDir + " does not exist");
    }
    List<String> open = new ArrayList<>();
    for (FileStatus s : fs.listStatus(taskDir)) {
      if (s.isDirectory() && !AtomicFiles.hidden(s.getPath().getName())
          && !fs.exists(new Path(s.getPath(), "model.json"))) {
        open.add(s.getPath().getName());
      }
    }
    return open.stream().max(Comparator.naturalOrder()).orElseThrow(() -> new BadConfigException(
        "Nothing to resume: every run in " + taskDir + " is complete"));
  }
}
