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

  public FailingLocalFileSystem() {
    super(new CheckedRaw());
  }

  /**
   * The raw layer checks too: {@code AtomicFiles} writes a temporary file through it (no checksum file to replace), so
   * a stage of that kind is only reachable there.
   */
  static final class CheckedRaw extends NioLocalFileSystem.Raw {
    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
        short replication, long blockSize, Progressable progress) throws IOException {
      fail(getConf(), CREATE, f);
      return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
        Progressable progress) throws IOException {
      fail(getConf(), CREATE, f);
      return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }
  }

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
    fail(getConf(), key, p);
  }

  static void fail(org.apache.hadoop.conf.Configuration conf, String key, Path p) throws IOException {
    String pattern = conf == null ? null : conf.get(key);
    if (pattern != null && !pattern.isEmpty() && p.toString().matches(pattern)) {
      throw new IOException("No space left on device (injected at " + p + ")");
    }
  }
}
