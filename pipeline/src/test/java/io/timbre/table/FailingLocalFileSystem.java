package io.timbre.table;

import io.timbre.store.NioLocalFileSystem;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system, failing like a full disk from the moment a path matching {@value #CREATE} is created or one
 * matching {@value #RENAME} is renamed (Hadoop settings, Java regular expressions): a write that dies at a chosen
 * stage of an ingest, in the same JVM, with every other part of Spark and Hadoop as in production.
 */
public class FailingLocalFileSystem extends NioLocalFileSystem {
  public static final String CREATE = "timbre.test.fail-create";
  public static final String RENAME = "timbre.test.fail-rename";

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    fail(CREATE, f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite) throws IOException {
    fail(CREATE, f);
    return super.create(f, overwrite);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    fail(RENAME, src);
    return super.rename(src, dst);
  }

  private void fail(String key, Path p) throws IOException {
    String pattern = getConf() == null ? null : getConf().get(key);
    if (pattern != null && !pattern.isEmpty() && p.toString().matches(pattern)) {
      throw new IOException("No space left on device (injected at " + p + ")");
    }
  }
}
