package io.timbre.predict;

import io.timbre.datasets.ClipRef;
import io.timbre.exceptions.BadInputException;
import io.timbre.exceptions.StorageException;
import io.timbre.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The audio a batch-inference run covers, from any Hadoop file system: a folder (every {@code .wav}/{@code .wave}
 * below it, hidden and {@code _}-prefixed entries skipped, other files counted but not read), a single audio file, or
 * a list file of paths. Clip ids are paths relative to the folder (or the list's folder), as dataset readers make
 * them, so predictions join back to a dataset's clips by id. A listed file that does not exist is not dropped: it
 * comes back as a clip whose decoding fails, and so lands in quarantine.
 */
public final class AudioInputs {
  /** The clips, in id order, and how many files of the folder were not audio. */
  public record Listing(String root, List<ClipRef> clips, int skippedNonAudio) {}

  private AudioInputs() {}

  public static Listing list(String input, Configuration conf) {
    Path in = new Path(input);
    try {
      FileSystem fs = in.getFileSystem(conf);
      if (!fs.exists(in)) {
        throw new BadInputException("Cannot predict on " + input + ": no such file or folder");
      }
      FileStatus st = fs.getFileStatus(in);
      Path qualified = st.getPath();
      if (st.isDirectory()) {
        return folder(fs, qualified);
      }
      String name = qualified.getName().toLowerCase(Locale.ROOT);
      if (name.endsWith(".txt") || name.endsWith(".lst")) {
        return listFile(fs, qualified, conf);
      }
      return new Listing(qualified.getParent().toString(),
          List.of(clip(qualified.getName(), qualified.toString(), st.getLen())), 0);
    } catch (IOException e) {
      throw new StorageException("Cannot list the input " + input + ": " + e.getMessage(), e);
    }
  }

  private static Listing folder(FileSystem fs, Path root) throws IOException {
    List<ClipRef> clips = new ArrayList<>();
    int skipped = 0;
    String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      String path = f.getPath().toString();
      String rel = path.startsWith(prefix) ? path.substring(prefix.length()) : f.getPath().getName();
      if (hiddenSomewhere(rel)) {
        continue;
      }
      if (isAudioName(f.getPath().getName())) {
        clips.add(clip(rel, path, f.getLen()));
      } else {
        skipped++;
      }
    }
    clips.sort(Comparator.comparing(ClipRef::id));
    return new Listing(root.toString(), List.copyOf(clips), skipped);
  }

  private static Listing listFile(FileSystem fs, Path list, Configuration conf) throws IOException {
    String text = new String(AtomicFiles.read(list, conf), StandardCharsets.UTF_8);
    Path base = list.getParent();
    List<ClipRef> clips = new ArrayList<>();
    // One file named twice (relative, absolute, file://, with ./ or ..) is scored once, under its first spelling.
    java.util.Set<java.net.URI> seen = new java.util.HashSet<>();
    for (String raw : text.split("\r\n|\r|\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Path p = line.contains(":/") || line.startsWith("/") ? new Path(line) : new Path(base, line);
      FileSystem pfs = p.getFileSystem(conf);
      Path qualified = pfs.makeQualified(p);
      if (!seen.add(qualified.toUri().normalize())) {
        continue;
      }
      long size = pfs.exists(qualified) ? pfs.getFileStatus(qualified).getLen() : -1;
      clips.add(clip(line, qualified.toString(), Math.max(size, 0)));
    }
    if (clips.isEmpty()) {
      throw new BadInputException("Cannot predict on " + list + ": the list names no files");
    }
    return new Listing(base.toString(), List.copyOf(clips), 0);
  }

  static boolean isAudioName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".wav") || n.endsWith(".wave");
  }

  private static boolean hiddenSomewhere(String relative) {
    for (String part : relative.split("/")) {
      if (AtomicFiles.hidden(part)) {
        return true;
      }
    }
    return false;
  }

  private static ClipRef clip(String id, String path, long size) {
    return ClipRef.of(id, "predict", path, "predict", List.of(), Map.of(), id, size);
  }
}
