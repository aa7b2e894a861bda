package io.timbre.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.ConcurrentWriterException;
import io.timbre.exceptions.StorageException;
import io.timbre.store.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer at a time per table: {@code <table>/_lease.json}, created only if absent and kept fresh by a heartbeat
 * while its holder writes. The one owner of that file.
 *
 * <p>Creation is atomic where the file system offers create-if-absent: {@code O_CREAT|O_EXCL} on local disks (through
 * java.nio), HDFS's create without overwrite (decided by the NameNode). Hadoop 3.3's S3A has no conditional PUT, so on
 * S3 the lease is created with a HEAD then a PUT and read back: it stops a second writer that starts while the first
 * runs, but two writers starting within the same second can both pass. A lease whose heartbeat is older than the
 * stale limit belongs to a dead run; it is broken only when the user says so.
 */
public final class TableLease implements AutoCloseable {
  public static final String FILE = "_lease.json";
  private static final Logger LOG = LoggerFactory.getLogger(TableLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final Configuration conf;
  private final String token;
  private final ObjectNode body;
  private final ScheduledExecutorService heartbeat;

  private TableLease(Path path, Configuration conf, String token, ObjectNode body, Duration every) {
    this.path = path;
    this.conf = conf;
    this.token = token;
    this.body = body;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "timbre-table-lease");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, every.toMillis());
    heartbeat.scheduleAtFixedRate(this::beat, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease of {@code table} for {@code purpose}.
   *
   * @param staleAfter a lease whose heartbeat is older than this belongs to a dead run
   * @param breakStale take over a stale lease (the user checked that its run is dead)
   * @throws ConcurrentWriterException naming the holder when another run holds the table, or holds a stale lease that is not to
   *     be broken
   */
  public static TableLease acquire(String table, Configuration conf, String purpose, Duration staleAfter,
      boolean breakStale) {
    Path path = new Path(trim(table) + "/" + FILE);
    String token = UUID.randomUUID().toString();
    ObjectNode body = JSON.createObjectNode();
    body.put("token", token);
    body.put("purpose", purpose);
    body.put("host", host());
    body.put("pid", ProcessHandle.current().pid());
    body.put("started_at", Instant.now().toString());
    body.put("heartbeat_at", Instant.now().toString());
    for (int attempt = 0; attempt < 2; attempt++) {
      if (createIfAbsent(path, conf, bytes(body))) {
        JsonNode back = read(path, conf);
        if (back != null && token.equals(back.path("token").asText())) {
          LOG.info("Took the lease of {} ({})", trim(table), purpose);
          return new TableLease(path, conf, token, body, staleAfter.dividedBy(4));
        }
      }
      JsonNode holder = read(path, conf);
      if (holder == null) {
        continue; // released between our attempt and the read: try once more
      }
      Duration age = Duration.between(Instant.parse(holder.path("heartbeat_at").asText(Instant.EPOCH.toString())),
          Instant.now());
      String who = holder.path("purpose").asText("?") + " on " + holder.path("host").asText("?") + " (pid "
          + holder.path("pid").asText("?") + ", started " + holder.path("started_at").asText("?")
          + ", last heartbeat " + age.toSeconds() + " s ago)";
      boolean stale = age.compareTo(staleAfter) > 0;
      if (!stale) {
        throw new ConcurrentWriterException("Cannot " + purpose + " " + trim(table) + ": another run is writing it: " + who
            + ". Wait for it to finish; two writers would race on the published version.");
      }
      if (!breakStale) {
        throw new ConcurrentWriterException("Cannot " + purpose + " " + trim(table) + ": a stale lease (" + who + ", older than "
            + staleAfter.toSeconds() + " s) says another run was writing it. If that run is dead, re-run with "
            + "--break-stale-lease.");
      }
      LOG.warn("Breaking the stale lease of {}: {}", trim(table), who);
      delete(path, conf);
    }
    throw new ConcurrentWriterException("Cannot " + purpose + " " + trim(table) + ": could not take its lease " + path);
  }

  /** Releases the lease (only if it is still ours). */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    JsonNode now = read(path, conf);
    if (now != null && token.equals(now.path("token").asText())) {
      delete(path, conf);
    }
  }

  private void beat() {
    try {
      JsonNode now = read(path, conf);
      if (now == null || !token.equals(now.path("token").asText())) {
        LOG.error("The lease {} is no longer ours (broken by another run?)", path);
        return;
      }
      body.put("heartbeat_at", Instant.now().toString());
      AtomicFiles.write(path, conf, bytes(body));
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot renew the lease {}: {}", path, e.toString());
    }
  }

  private static boolean createIfAbsent(Path path, Configuration conf, byte[] bytes) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      fs.mkdirs(path.getParent());
      if ("file".equals(fs.getUri().getScheme())) {
        try (OutputStream out = Files.newOutputStream(Paths.get(fs.makeQualified(path).toUri()),
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          out.write(bytes);
        }
        return true;
      }
      try (OutputStream out = fs.create(path, false)) {
        out.write(bytes);
      }
      return true;
    } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        return false;
      }
      throw new StorageException("Cannot create the lease " + path + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode read(Path path, Configuration conf) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        return null;
      }
      return JSON.readTree(AtomicFiles.read(path, conf));
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new StorageException("Cannot read the lease " + path + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path path, Configuration conf) {
    try {
      path.getFileSystem(conf).delete(path, false);
    } catch (IOException e) {
      throw new StorageException("Cannot remove the lease " + path + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  private static String trim(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
