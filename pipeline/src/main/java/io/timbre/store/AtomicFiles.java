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
 * temporary name in the same directory ({@code .<name>.<uuid>.tmp}, which every Timbre reader skips) and a rename,
 * which is atomic there. A failed write deletes its temporary file and leaves any previous version untouched.
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
    Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    boolean done = false;
    try {
      try (FSDataOutputStream out = fs.create(tmp, false)) {
        writer.write(out);
      }
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("Cannot replace " + target + ": delete failed");
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("Cannot publish " + target + ": rename from " + tmp + " failed");
      }
      done = true;
    } finally {
      if (!done) {
        fs.delete(tmp, false);
      }
    }
    // Local file systems leave a .crc of the temporary name behind; it is harmless but untidy.
    fs.delete(new Path(tmp.getParent(), "." + tmp.getName() + ".crc"), false);
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
