package io.timbre.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.timbre.exceptions.IncompatibleArtefactException;
import io.timbre.exceptions.StorageException;
import io.timbre.store.AtomicFiles;
import io.timbre.util.RunStamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The published version of a feature table: which folders hold its segments, clips and quarantine, and where its
 * provenance is. The one owner of {@code <table>/_current.json}, the pointer that publishes a version.
 *
 * <p>Why a pointer and not Delta Lake or Iceberg: a Timbre table is four parts (segments, clips, quarantine,
 * provenance) that must appear together, and both formats commit one table at a time; a multi-table commit needs a
 * catalog service (Glue, Nessie) that local runs and tests do not have. An ingest writes a complete new version under
 * {@code versions/<id>/} — nothing of the published one is touched — and then replaces {@code _current.json}, one
 * small object: a rename on local and HDFS file systems, a single PUT on S3, both atomic. A reader resolves the
 * pointer once, so it sees the old version or the new one, never a mix. An incremental ingest's version lists the
 * previous version's folders plus its own, so unchanged clips are never copied.
 *
 * <p>A table written before versions existed ({@code segments/}, {@code clips/}, {@code quarantine/} and
 * {@code _provenance.json} directly under the table) reads as version {@code legacy}.
 *
 * @param table the table's location (its stable name: {@code <tables root>/<dataset>/<spec id>})
 * @param id the version id ({@code versions/<id>}), sortable by time
 * @param parts per part (segments, clips, quarantine), its folders relative to the table, newest first
 * @param provenance the provenance file, relative to the table
 * @param publishedAt when the pointer was written (null for a legacy table)
 */
public record TableVersion(String table, String id, Map<String, List<String>> parts, String provenance,
    String publishedAt) {
  public static final String POINTER = "_current.json";
  public static final String FORMAT = "timbre-table-pointer/1";
  public static final List<String> PARTS = List.of("segments", "clips", "quarantine");
  static final String LEGACY = "legacy";
  private static final ObjectMapper JSON = new ObjectMapper();

  public TableVersion {
    table = trimSlash(table);
    TreeMap<String, List<String>> copy = new TreeMap<>();
    for (String part : PARTS) {
      List<String> dirs = parts.get(part);
      if (dirs == null || dirs.isEmpty()) {
        throw new IllegalArgumentException("Cannot describe version " + id + " of " + table + ": no folder for "
            + part);
      }
      copy.put(part, List.copyOf(dirs));
    }
    parts = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * A fresh version id: UTC time to the millisecond and a random suffix, sorting after {@code previous} (the published
   * id, or null). Retention and "newer than me" decisions compare ids as strings, so two ingests within one
   * millisecond (or a clock that stepped back) must still order as they were published.
   */
  public static String newId(String runId, String previous) {
    Instant now = Instant.now();
    String suffix = "-" + runId.substring(0, Math.min(8, runId.length()));
    String id = RunStamp.of(now) + suffix;
    if (previous != null && !LEGACY.equals(previous) && id.compareTo(previous) <= 0) {
      Instant after = parseTime(previous);
      id = RunStamp.of(after == null ? now : after.plusMillis(1)) + suffix;
      if (id.compareTo(previous) <= 0) { // a previous id of another shape: sort after it whatever it is
        id = previous + "+" + suffix.substring(1);
      }
    }
    return id;
  }

  private static Instant parseTime(String id) {
    try {
      int dash = id.indexOf('-');
      return RunStamp.parse(dash < 0 ? id : id.substring(0, dash));
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** The folder of a version's own data: {@code <table>/versions/<id>}. */
  public static String dataDir(String table, String id) {
    return trimSlash(table) + "/versions/" + id;
  }

  /** The version {@code id} written under {@code versions/<id>/}, inheriting nothing. */
  public static TableVersion fresh(String table, String id) {
    Map<String, List<String>> parts = new TreeMap<>();
    for (String part : PARTS) {
      parts.put(part, List.of("versions/" + id + "/" + part));
    }
    return new TableVersion(table, id, parts, "versions/" + id + "/_provenance.json", null);
  }

  /** Version {@code id} holding its own new rows plus every folder of {@code previous} (an incremental ingest). */
  public static TableVersion on(TableVersion previous, String id) {
    Map<String, List<String>> parts = new TreeMap<>();
    for (String part : PARTS) {
      List<String> dirs = new ArrayList<>();
      dirs.add("versions/" + id + "/" + part);
      dirs.addAll(previous.parts().get(part));
      parts.put(part, dirs);
    }
    return new TableVersion(previous.table(), id, parts, "versions/" + id + "/_provenance.json", null);
  }

  /** Absolute locations of a part's folders. */
  public List<String> locations(String part) {
    List<String> dirs = parts.get(part);
    if (dirs == null) {
      throw new IllegalArgumentException("Cannot read part '" + part + "' of a table: parts are " + PARTS);
    }
    return dirs.stream().map(d -> table + "/" + d).toList();
  }

  public String provenanceLocation() {
    return table + "/" + provenance;
  }

  /**
   * The published version of {@code table}, or null when there is none (no pointer and no legacy provenance). A
   * pointer whose provenance is missing is an error: it would describe data that is not there.
   */
  public static TableVersion current(String table, Configuration conf) {
    String t = trimSlash(table);
    Path pointer = new Path(t + "/" + POINTER);
    try {
      FileSystem fs = pointer.getFileSystem(conf);
      if (fs.exists(pointer)) {
        TableVersion v = parse(t, new String(AtomicFiles.read(pointer, conf), StandardCharsets.UTF_8));
        if (!fs.exists(new Path(v.provenanceLocation()))) {
          throw new IncompatibleArtefactException("Table " + t + " is damaged: its " + POINTER + " publishes version " + v.id()
              + ", whose provenance " + v.provenanceLocation() + " is missing");
        }
        return v;
      }
      if (fs.exists(new Path(t + "/_provenance.json"))) {
        Map<String, List<String>> parts = new TreeMap<>();
        for (String part : PARTS) {
          parts.put(part, List.of(part));
        }
        return new TableVersion(t, LEGACY, parts, "_provenance.json", null);
      }
      return null;
    } catch (IOException e) {
      throw new StorageException("Cannot read the published version of table " + t + ": " + e.getMessage(), e);
    }
  }

  /** {@link #current}, or a typed error saying that {@code table} has no published version. */
  public static TableVersion require(String table, Configuration conf, String purpose) {
    TableVersion v = current(table, conf);
    if (v == null) {
      throw new IncompatibleArtefactException("Cannot " + purpose + " " + trimSlash(table) + ": no published table there (no "
          + POINTER + " or _provenance.json: not written by `timbre ingest`, or its ingest did not finish; point "
          + "--table at <tables root>/<dataset>/<spec id>)");
    }
    return v;
  }

  /** Publishes this version: replaces the pointer atomically. Every folder it names must already be complete. */
  public TableVersion publish(Configuration conf) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("version", id);
    String at = Instant.now().toString();
    n.put("published_at", at);
    n.put("provenance", provenance);
    ObjectNode p = n.putObject("parts");
    parts.forEach((part, dirs) -> {
      ArrayNode a = p.putArray(part);
      dirs.forEach(a::add);
    });
    try {
      AtomicFiles.write(new Path(table + "/" + POINTER), conf, JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsBytes(n));
    } catch (IOException e) {
      throw new StorageException("Cannot publish version " + id + " of table " + table + ": " + e.getMessage(), e);
    }
    return new TableVersion(table, id, parts, provenance, at);
  }

  /**
   * Deletes version folders that this (published) version does not use, keeping the {@code keep} newest versions
   * besides it so that a user can point back to one; folders of a legacy layout go once a version replaced them.
   *
   * @return the folders deleted
   */
  public List<String> retain(int keep, Configuration conf) {
    Set<String> used = new LinkedHashSet<>();
    parts.values().forEach(dirs -> dirs.forEach(d -> used.add(d.startsWith("versions/") ? d.split("/")[1] : d)));
    List<String> deleted = new ArrayList<>();
    try {
      Path versions = new Path(table + "/versions");
      FileSystem fs = versions.getFileSystem(conf);
      if (fs.exists(versions)) {
        List<String> ids = new ArrayList<>();
        for (FileStatus s : fs.listStatus(versions)) {
          if (s.isDirectory()) {
            ids.add(s.getPath().getName());
          }
        }
        ids.sort(java.util.Comparator.reverseOrder());
        int kept = 0;
        for (String v : ids) {
          if (used.contains(v) || v.compareTo(id) > 0) { // in use, or newer: another writer's, not ours to judge
            continue;
          }
          if (kept++ < keep) {
            continue;
          }
          fs.delete(new Path(versions, v), true);
          deleted.add("versions/" + v);
        }
      }
      if (!id.equals(LEGACY)) {
        for (String legacy : List.of("segments", "clips", "quarantine", "_provenance.json")) {
          Path p = new Path(table + "/" + legacy);
          if (!used.contains(legacy) && fs.exists(p)) {
            fs.delete(p, true);
            deleted.add(legacy);
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot clean old versions of table " + table + ": " + e.getMessage(), e);
    }
    return deleted;
  }

  static TableVersion parse(String table, String text) {
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (IOException e) {
      throw new IncompatibleArtefactException("Cannot read " + table + "/" + POINTER + ": not JSON: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(n.path("format").asText())) {
      throw new IncompatibleArtefactException("Cannot read " + table + "/" + POINTER + ": format '" + n.path("format").asText()
          + "', this Timbre reads " + FORMAT);
    }
    Map<String, List<String>> parts = new TreeMap<>();
    for (String part : PARTS) {
      List<String> dirs = new ArrayList<>();
      n.path("parts").path(part).forEach(d -> dirs.add(d.asText()));
      for (String d : dirs) {
        if (d.startsWith("/") || d.contains("..") || d.contains("://")) {
          throw new IncompatibleArtefactException("Cannot read " + table + "/" + POINTER + ": part folder '" + d
              + "' is not inside the table");
        }
      }
      if (dirs.isEmpty()) {
        throw new IncompatibleArtefactException("Cannot read " + table + "/" + POINTER + ": no folders for " + part);
      }
      parts.put(part, dirs);
    }
    String provenance = n.path("provenance").asText("");
    if (provenance.isEmpty() || provenance.startsWith("/") || provenance.contains("..") || provenance.contains("://")) {
      throw new IncompatibleArtefactException("Cannot read " + table + "/" + POINTER + ": provenance '" + provenance
          + "' is not inside the table");
    }
    return new TableVersion(table, n.path("version").asText(), parts, provenance, n.path("published_at").asText());
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
