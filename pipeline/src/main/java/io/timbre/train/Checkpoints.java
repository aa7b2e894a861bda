package io.timbre.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.timbre.model.Networks;
import io.timbre.store.AtomicFiles;
import io.timbre.util.JsonDocument;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints: {@code <run>/checkpoints/epoch-NNNNNN.ckpt}, each one zip holding {@code network.zip} (DL4J's
 * own format, with updater state, so Adam's moments survive a resume) and {@code state.json} (epoch, iteration, the
 * early-stopping bookkeeping, the curves so far, the normalisation statistics and the config fingerprint), followed
 * by an {@code END} entry. Written through {@link AtomicFiles}, so a checkpoint is complete or absent; a reader
 * still checks the {@code END} marker and skips anything unreadable with a warning, falling back to the previous one.
 */
public final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{6})\\.ckpt");

  private final Path dir;
  private final Configuration conf;

  public Checkpoints(Path runDir, Configuration conf) {
    this.dir = new Path(runDir, "checkpoints");
    this.conf = conf;
  }

  /** A checkpoint read back. */
  public record Loaded(Path path, int epoch, Model network, TrainingState state) {}

  public Path write(int epoch, Model net, TrainingState state) throws IOException {
    byte[] model = Networks.write(net, true);
    byte[] stateBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state.toJson());
    Path target = new Path(dir, String.format("epoch-%06d.ckpt", epoch));
    AtomicFiles.write(target, conf, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      put(zip, "state.json", stateBytes);
      put(zip, "network.zip", model);
      put(zip, "END", new byte[0]);
      zip.finish();
    });
    return target;
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /** Epoch checkpoints present, oldest first (hidden/temporary files ignored). */
  public List<Path> list() throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    List<Path> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isFile() && NAME.matcher(s.getPath().getName()).matches()) {
        out.add(s.getPath());
      }
    }
    out.sort(Comparator.comparing(Path::getName));
    return out;
  }

  /** Deletes all but the newest {@code keep} checkpoints. */
  public void prune(int keep) throws IOException {
    List<Path> all = list();
    FileSystem fs = dir.getFileSystem(conf);
    for (int i = 0; i < all.size() - keep; i++) {
      fs.delete(all.get(i), false);
    }
  }

  /** The newest checkpoint that reads back completely; corrupt ones are skipped with a warning. */
  public Optional<Loaded> latestValid() throws IOException {
    List<Path> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path p = all.get(i);
      try {
        return Optional.of(read(p));
      } catch (IOException | RuntimeException e) {
        LOG.warn("Skipping unreadable checkpoint {}: {}", p, e.toString());
      }
    }
    return Optional.empty();
  }

  public Loaded read(Path p) throws IOException {
    Matcher m = NAME.matcher(p.getName());
    if (!m.matches()) {
      throw new IOException("not a checkpoint name: " + p);
    }
    byte[] bytes = AtomicFiles.read(p, conf);
    byte[] state = null;
    byte[] network = null;
    boolean end = false;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        switch (e.getName()) {
          case "state.json" -> state = zip.readAllBytes();
          case "network.zip" -> network = zip.readAllBytes();
          case "END" -> end = true;
          default -> { }
        }
      }
    }
    if (state == null || network == null || !end) {
      throw new IOException("incomplete checkpoint (state: " + (state != null) + ", network: " + (network != null)
          + ", end marker: " + end + ")");
    }
    TrainingState s = TrainingState.parse(JsonDocument.parse(state, p + "!/state.json"));
    int epoch = Integer.parseInt(m.group(1));
    if (s.epoch() != epoch) {
      throw new IOException("state says epoch " + s.epoch() + ", name says " + epoch);
    }
    Model net = Networks.restore(network, true);
    return new Loaded(p, epoch, net, s);
  }
}
