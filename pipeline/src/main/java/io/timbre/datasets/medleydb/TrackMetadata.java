package io.timbre.datasets.medleydb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One MedleyDB track's {@code <id>_METADATA.yaml}, as the reader uses it: the artist (it keeps an artist's tracks in
 * one split), descriptive tags, and the stems in S01… order with their instruments. The one reader of that file.
 *
 * @param artist never blank
 * @param tags artist, title, genre, has_bleed, … where the file gives them as scalars
 * @param stemDir the stems' folder, relative to the track folder
 * @param stems by stem key (S01, S02, …), in key order
 */
record TrackMetadata(String artist, SortedMap<String, String> tags, String stemDir, List<Stem> stems) {
  static final String KEY_ARTIST = "artist";
  static final String KEY_STEM_DIR = "stem_dir";
  static final String KEY_STEMS = "stems";
  static final String KEY_INSTRUMENT = "instrument";
  static final String KEY_FILENAME = "filename";
  static final String KEY_COMPONENT = "component";
  static final List<String> TAG_KEYS = List.of("artist", "title", "genre", "has_bleed", "instrumental", "excerpt",
      "origin", "version", "album");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A stem: its instruments (one, or several for a mixed stem), its WAV's name and its component (melody, bass…). */
  record Stem(String key, List<String> instruments, String filename, String component) {
    Stem {
      instruments = List.copyOf(instruments);
    }
  }

  TrackMetadata {
    tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    stems = List.copyOf(stems);
  }

  /**
   * Parses the YAML text of track {@code trackId}.
   *
   * @throws IOException saying what is wrong (not YAML, not a mapping, anchors or aliases, no artist)
   */
  static TrackMetadata parse(String text, String trackId) throws IOException {
    JsonNode yaml = readTree(text);
    if (yaml == null || !yaml.isObject()) {
      throw new IOException("not a YAML mapping");
    }
    String artist = yaml.path(KEY_ARTIST).asText("");
    if (artist.isBlank()) {
      throw new IOException("no " + KEY_ARTIST + " (needed to keep the artist's tracks in one split)");
    }
    SortedMap<String, String> tags = new TreeMap<>();
    for (String key : TAG_KEYS) {
      JsonNode v = yaml.get(key);
      if (v != null && !v.isNull() && v.isValueNode()) {
        tags.put(key, v.asText());
      }
    }
    JsonNode dir = yaml.path(KEY_STEM_DIR);
    String stemDir = dir.isValueNode() && !dir.asText("").isBlank() ? dir.asText() : trackId + "_STEMS";
    if (stemDir.contains("/") || stemDir.equals("..") || stemDir.equals(".")) {
      throw new IOException(KEY_STEM_DIR + " '" + stemDir + "' is not a folder name inside the track folder");
    }
    TreeMap<String, JsonNode> ordered = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = yaml.path(KEY_STEMS).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ordered.put(e.getKey(), e.getValue());
    }
    List<Stem> stems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : ordered.entrySet()) {
      JsonNode stem = e.getValue();
      JsonNode inst = stem.path(KEY_INSTRUMENT);
      List<String> instruments = new ArrayList<>();
      if (inst.isArray()) {
        inst.forEach(i -> instruments.add(i.asText()));
      } else if (!inst.asText("").isBlank()) {
        instruments.add(inst.asText());
      }
      stems.add(new Stem(e.getKey(), instruments, stem.path(KEY_FILENAME).asText(""),
          stem.path(KEY_COMPONENT).asText("")));
    }
    return new TrackMetadata(artist, tags, stemDir, stems);
  }

  /**
   * The metadata as a tree, refusing YAML anchors and aliases: Jackson does not resolve an alias ({@code *i}) but
   * hands over its name as a string, which would become a label. MedleyDB's files use neither.
   */
  static JsonNode readTree(String text) throws IOException {
    try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(text)) {
      while (p.nextToken() != null) {
        if (p.isCurrentAlias() || p.getObjectId() != null) {
          throw new IOException("YAML anchors and aliases are not allowed (line " + p.currentLocation().getLineNr()
              + ")");
        }
      }
    }
    return YAML.readTree(text);
  }
}
