package io.timbre.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a file so that readers see it complete or not at all, on any Hadoop file system.
 *
 * <p>Object stores (s3a, s3, gs, abfs) publish an object only when the stream closes (a single PUT or a completed
 * multipart upload), so the file is written in place. File systems with real directories (local, HDFS) get a hidden
 * temporary name in the same directory ({@code .<name>.<uuid>.tmp}, which every Timbre reader skips) and a rename
 * that replaces the target in one step: {@code rename(2)} on local disks, HDFS's rename with OVERWRITE. There is no
 * moment without the file, so a process killed while replacing it leaves the old or the new one. A failed write
 * deletes its temporary file and leaves any previous version untouched.
 */
public final class AtomicFiles {
  private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "oss");

  /** Writes bytes to a stream. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  public static void write(Path target, Configuration conf, Writer writer) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    if (OBJECT_STORES.contains(fs.getUri().getScheme())) {
      try (FSDataOutputStream out = fs.create(target, true)) {
        writer.write(out);
      }
      return;
    }
    // Local disks: write without Hadoop's .crc side files, which a rename(2) could not replace together with the file.
    FileSystem writeFs = fs instanceof org.apache.hadoop.fs.ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    boolean done = false;
    try {
      try (FSDataOutputStream out = writeFs.create(tmp, false)) {
        writer.write(out);
      }
      replace(fs, conf, tmp, target);
      done = true;
    } finally {
      if (!done) {
        writeFs.delete(tmp, false);
      }
    }
  }

  private static void replace(FileSystem fs, Configuration conf, Path tmp, Path target) throws IOException {
    String scheme = fs.getUri().getScheme();
    if ("file".equals(scheme)) {
      // A stale checksum of the old content would fail the read of the new one; without one, nothing is checked.
      Path crc = new Path(target.getParent(), "." + target.getName() + ".crc");
      fs.delete(crc, false);
      java.nio.file.Files.move(java.nio.file.Paths.get(fs.makeQualified(tmp).toUri()),
          java.nio.file.Paths.get(fs.makeQualified(target).toUri()), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    if ("hdfs".equals(scheme)) {
      org.apache.hadoop.fs.FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target,
          org.apache.hadoop.fs.Options.Rename.OVERWRITE);
      return;
    }
    // Other file systems: no atomic replace in Hadoop's API; the old file is gone for the moment between the two.
    if (fs.exists(target) && !fs.delete(target, false)) {
      throw new IOException("Cannot replace " + target + ": delete failed");
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("Cannot publish " + target + ": rename from " + tmp + " failed");
    }
  }

  public static void write(Path target, Configuration conf, byte[] bytes) throws IOException {
    write(target, conf, out -> out.write(bytes));
  }

  public static byte[] read(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  /** Whether a file name is a hidden/temporary one that readers must ignore. */
  public static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }
}
