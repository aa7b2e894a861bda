package io.timbre.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file://}) with permissions set through {@code java.nio} instead of a forked
 * {@code chmod}.
 *
 * <p>Why: without Hadoop's native library (which no Maven artefact ships, so no local Spark run has it) Hadoop 3.3's
 * {@link RawLocalFileSystem#setPermission} runs {@code chmod} in a child process, and it is called for every file
 * created and every directory made: a local ingest writing 8 partitions × 3 splits forked it 86 times (strace), each
 * time blocking a task thread for the fork, the exec and a stderr-reader thread, and more often the more partitions a
 * master runs. Java's {@link Files#setPosixFilePermissions} does the same {@code chmod(2)} in-process. Anything that
 * it cannot express (the sticky bit) or a file store without POSIX attributes goes to Hadoop's own code unchanged.
 *
 * <p>Every Timbre session registers it as {@code fs.file.impl} unless the user set one (see
 * {@code io.timbre.spark.Sessions}), under spark-submit too; like the class it
 * replaces it is a {@link LocalFileSystem} (checksummed), so {@code FileSystem.getLocal} still works.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  private static final java.util.concurrent.atomic.AtomicBoolean ANNOUNCED =
      new java.util.concurrent.atomic.AtomicBoolean();

  public NioLocalFileSystem() {
    this(new Raw());
  }

  /** With another raw layer (a test's, that injects failures where writers bypass the checksummed layer). */
  protected NioLocalFileSystem(Raw raw) {
    super(raw);
    // Once per JVM, so a driver's or an executor's log shows which file:// it writes through.
    if (ANNOUNCED.compareAndSet(false, true)) {
      org.slf4j.LoggerFactory.getLogger(NioLocalFileSystem.class).info(
          "file:// through {} (permissions via java.nio, no forked chmod)", NioLocalFileSystem.class.getName());
    }
  }

  /** The raw (unchecksummed) layer, where the permissions are set. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      java.nio.file.Path file = pathToFile(p).toPath();
      if (permission.getStickyBit()
          || Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(file, posix(permission));
      } catch (java.nio.file.NoSuchFileException e) {
        java.io.FileNotFoundException f = new java.io.FileNotFoundException("Cannot set permission " + permission
            + " on " + p + ": no such file");
        f.initCause(e);
        throw f;
      } catch (FileSystemException e) {
        throw new IOException("Cannot set permission " + permission + " on " + p + ": " + e.getMessage(), e);
      }
    }
  }

  /** The nine rwx bits of a Hadoop permission as NIO's set. */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    add(s, permission.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    add(s, permission.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE);
    add(s, permission.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    return s;
  }

  private static void add(Set<PosixFilePermission> s, FsAction a, PosixFilePermission r, PosixFilePermission w,
      PosixFilePermission x) {
    if (a.implies(FsAction.READ)) {
      s.add(r);
    }
    if (a.implies(FsAction.WRITE)) {
      s.add(w);
    }
    if (a.implies(FsAction.EXECUTE)) {
      s.add(x);
    }
  }
}
