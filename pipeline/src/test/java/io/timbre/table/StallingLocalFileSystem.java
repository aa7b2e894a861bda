package io.timbre.table;

import io.timbre.store.NioLocalFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system, stopping for good at a chosen operation: when {@code <op>:<path>} matches {@value #AT} (a Java
 * regular expression; op is create, rename, delete or list), it writes the path to the file {@value #MARKER} names and
 * blocks. A test that waits for the marker and then kills the JVM with SIGKILL kills it at exactly that point of an
 * ingest, with the rest of Spark and Hadoop as in production.
 */
public class StallingLocalFileSystem extends NioLocalFileSystem {
  public static final String AT = "timbre.test.stall-at";
  public static final String MARKER = "timbre.test.stall-marker";
  private static final AtomicBoolean STALLED = new AtomicBoolean();

  public StallingLocalFileSystem() {
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
      stallAt(getConf(), "create", f);
      return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
        Progressable progress) throws IOException {
      stallAt(getConf(), "create", f);
      return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    stallAt("create", f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite) throws IOException {
    stallAt("create", f);
    return super.create(f, overwrite);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    stallAt("rename", src);
    return super.rename(src, dst);
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    stallAt("delete", f);
    return super.delete(f, recursive);
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    stallAt("list", f);
    return super.listStatus(f);
  }

  @Override
  public RemoteIterator<LocatedFileStatus> listLocatedStatus(Path f) throws IOException {
    stallAt("list", f);
    return super.listLocatedStatus(f);
  }

  private void stallAt(String op, Path p) throws IOException {
    stallAt(getConf(), op, p);
  }

  static void stallAt(org.apache.hadoop.conf.Configuration conf, String op, Path p) throws IOException {
    String pattern = conf == null ? null : conf.get(AT);
    if (pattern == null || pattern.isEmpty() || !(op + ":" + p).matches(pattern)) {
      return;
    }
    if (STALLED.compareAndSet(false, true)) {
      Files.writeString(Paths.get(conf.get(MARKER)), op + ":" + p, StandardCharsets.UTF_8);
    }
    while (true) { // every thread that reaches a stall point waits here for the SIGKILL
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // Spark interrupts tasks it cancels; a stalled one must stay put, as a frozen process would.
      }
    }
  }
}
