package io.timbre.table;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.util.Progressable;

/**
 * S3A with a trap: the first create of a path matching {@link #arm}'s pattern runs its action (the test stops the S3
 * endpoint there) before the create goes on — against an endpoint that is gone, as in production.
 */
public class OutageS3AFileSystem extends S3AFileSystem {
  private record Trap(String pattern, Runnable action) {}

  private static final AtomicReference<Trap> TRAP = new AtomicReference<>();

  /** Runs {@code action} once, at the first create of a path matching {@code pattern}. */
  static void arm(String pattern, Runnable action) {
    TRAP.set(new Trap(pattern, action));
  }

  static void disarm() {
    TRAP.set(null);
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    Trap t = TRAP.get();
    if (t != null && f.toString().matches(t.pattern()) && TRAP.compareAndSet(t, null)) {
      t.action().run();
    }
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }
}
