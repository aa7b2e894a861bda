package io.timbre.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A dataset's root on any Hadoop file system (file://, s3a://, hdfs://), with the few operations readers need.
 *
 * <p>Why Hadoop's API rather than java.nio: the same reader then runs on a laptop and against an S3 bucket, and
 * Spark executors open the listed paths with the same configuration. Paths are only ever taken from listings, never
 * built from strings, because dataset file names contain brackets, spaces, '#' and colons that Hadoop's
 * {@code Path(String)} would read as globs, fragments or schemes.
 */
public final class DatasetRoot {
  private final FileSystem fs;
  private final Path root;
  private final String rootString;

  private DatasetRoot(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
    this.rootString = root.toString();
  }

  /** Opens {@code uri} (a local path or any Hadoop URI) and checks that it is a readable directory. */
  public static DatasetRoot open(String uri, Configuration conf) {
    Path p = new Path(uri.contains("://") ? URI.create(uri) : new java.io.File(uri).getAbsoluteFile().toURI());
    try {
      FileSystem fs = p.getFileSystem(conf);
      Path qualified = fs.makeQualified(p);
      FileStatus st;
      try {
        st = fs.getFileStatus(qualified);
      } catch (java.io.FileNotFoundException e) {
        throw new DatasetException("Cannot read dataset: root " + qualified + " does not exist");
      }
      if (!st.isDirectory()) {
        throw new DatasetException("Cannot read dataset: root " + qualified + " is not a directory");
      }
      return new DatasetRoot(fs, qualified);
    } catch (IOException e) {
      throw new DatasetException("Cannot read dataset: root " + uri + " is unreadable: " + e.getMessage(), e);
    }
  }

  public FileSystem fs() {
    return fs;
  }

  public Path path() {
    return root;
  }

  @Override
  public String toString() {
    return rootString;
  }

  /** The direct children of {@code dir} (files and directories), sorted by name. */
  public List<FileStatus> children(Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>(List.of(fs.listStatus(dir)));
    out.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    checkLocalListing(dir, out);
    return out;
  }

  /**
   * Hadoop's local file system silently skips directory entries it cannot stat by name — on Linux, names that are
   * not valid UTF-8 (e.g. Latin-1 bytes from an old archive). Datasets must not lose files silently, so for file://
   * roots the listing is compared with the JDK's, and entries Hadoop skipped are remembered for
   * {@link #reportUnlisted}.
   */
  private void checkLocalListing(Path dir, List<FileStatus> listed) {
    if (!"file".equals(root.toUri().getScheme())) {
      return;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (FileStatus s : listed) {
      names.add(s.getPath().getName());
    }
    try (java.nio.file.DirectoryStream<java.nio.file.Path> entries =
        java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of(dir.toUri()))) {
      for (java.nio.file.Path e : entries) {
        String name = e.getFileName().toString();
        if (!names.contains(name)) {
          unlisted.add(dir + "/" + name);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The Hadoop listing succeeded; a failing cross-check must not fail the read.
    }
  }

  private final java.util.Set<String> unlisted = new java.util.TreeSet<>();
  private final java.util.Set<String> loops = new java.util.TreeSet<>();

  /**
   * Adds a quarantine record for every entry the file system listing skipped (see {@link #children}) and every
   * directory link that leads back to a folder already listed (see {@link #filesBelow}).
   */
  public void reportUnlisted(String dataset, List<QuarantineRecord> quarantine) {
    for (String path : unlisted) {
      java.nio.file.Path p = java.nio.file.Path.of(java.net.URI.create(path.startsWith("file:") ? path
          : "file://" + path));
      String[] reason = unlistedReason(p);
      quarantine.add(new QuarantineRecord(path, dataset, QuarantineRecord.Stage.LIST, reason[0], path + ": "
          + reason[1]));
    }
    for (String path : loops) {
      quarantine.add(new QuarantineRecord(path, dataset, QuarantineRecord.Stage.LIST, "SymlinkLoop", path
          + ": a link to a folder already listed (a loop); not followed"));
    }
    unlisted.clear();
    loops.clear();
  }

  private static String[] unlistedReason(java.nio.file.Path p) {
    try {
      if (java.nio.file.Files.isSymbolicLink(p)) {
        java.nio.file.Path target = java.nio.file.Files.readSymbolicLink(p);
        return java.nio.file.Files.exists(p) ? new String[] {"UnreadableLink", "a link to " + target + " that "
            + "cannot be read"} : new String[] {"BrokenLink", "a link to " + target + ", which does not exist or "
            + "loops"};
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the generic reason
    }
    return new String[] {"UnreadableName", "the file system cannot open this name (not valid UTF-8?); rename it "
        + "to include it"};
  }

  /** The root's subfolder {@code name} if it has one (the archive's top folder), else the root itself. */
  public Path subfolderOrSelf(String name) throws IOException {
    FileStatus s = child(root, name);
    return s != null && s.isDirectory() ? s.getPath() : root;
  }

  /** The child of {@code dir} with exactly this name, if present. */
  public FileStatus child(Path dir, String name) throws IOException {
    for (FileStatus s : children(dir)) {
      if (s.getPath().getName().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** Every file below {@code dir}, recursively, sorted by path. */
  public List<FileStatus> filesBelow(Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if ("file".equals(root.toUri().getScheme())) {
      collect(dir, out, new java.util.HashSet<>(), null); // folder by folder, so every listing is cross-checked
    } else {
      // Object stores: one flat recursive listing (a few requests per 1,000 keys, not one per folder).
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        out.add(it.next());
      }
    }
    out.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
    return out;
  }

  /**
   * Files below a local folder. A folder reached through a link that leads back to a folder already listed, or to
   * one that contains the starting folder (a link to {@code ..}), is a loop: reported, not followed.
   */
  private void collect(Path dir, List<FileStatus> out, java.util.Set<java.nio.file.Path> seen,
      java.nio.file.Path start) throws IOException {
    java.nio.file.Path real;
    try {
      real = java.nio.file.Path.of(dir.toUri()).toRealPath();
    } catch (IOException | RuntimeException e) {
      real = null;
    }
    if (real != null && (!seen.add(real) || start != null && start.startsWith(real))) {
      loops.add(dir.toString());
      return;
    }
    for (FileStatus s : children(dir)) {
      if (s.isDirectory()) {
        collect(s.getPath(), out, seen, start == null ? real : start);
      } else {
        out.add(s);
      }
    }
  }

  /** The path of {@code p} relative to the root, '/'-separated, exactly as on disk. */
  public String relative(Path p) {
    String full = p.toUri().getPath();
    String base = root.toUri().getPath();
    if (!base.endsWith("/")) {
      base = base + "/";
    }
    return full.startsWith(base) ? full.substring(base.length()) : full;
  }

  /** A text file's content (UTF-8, with malformed bytes replaced), bounded to {@code maxBytes}. */
  public String readText(Path p, int maxBytes) throws IOException {
    try (InputStream in = fs.open(p)) {
      byte[] b = in.readNBytes(maxBytes + 1);
      if (b.length > maxBytes) {
        throw new IOException(p + " is larger than " + maxBytes + " bytes, too large for an annotation file");
      }
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  public InputStream open(Path p) throws IOException {
    return fs.open(p);
  }
}
