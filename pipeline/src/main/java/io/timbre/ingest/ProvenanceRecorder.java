package io.timbre.ingest;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.featurize.ClipResult;
import io.timbre.featurize.FrameTargets;
import io.timbre.table.FeatureTable;
import io.timbre.table.TableProvenance;
import io.timbre.util.CodeVersion;
import io.timbre.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Builds the provenance of the table version an ingest run is about to publish. */
final class ProvenanceRecorder {
  private ProvenanceRecorder() {}

  /**
   * @param previous the published table's provenance when this run adds to it (incremental), else null
   * @param hashes content hashes computed while listing (incremental runs), by clip id
   */
  static TableProvenance of(IngestOptions o, DatasetListing listing, List<String> vocabulary, FrameTargets targets,
      List<ClipResult> results, List<QuarantineRecord> quarantine, IngestSummary summary, String runId,
      TableProvenance previous, Map<String, String> hashes) {
    // The fingerprint covers every listed input: path, size and content hash.
    Map<String, String> sha = new TreeMap<>(hashes);
    for (ClipResult r : results) {
      if (r.sha256() != null) {
        sha.put(r.clip().id(), r.sha256());
      }
    }
    if (previous != null) {
      previous.inputHashes().forEach(sha::putIfAbsent);
    }
    List<TableProvenance.Input> inputs = new ArrayList<>();
    MessageDigest d = Sha256.newDigest();
    for (ClipRef c : listing.clips().stream().sorted(Comparator.comparing(ClipRef::id)).toList()) {
      String h = sha.getOrDefault(c.id(), "");
      inputs.add(new TableProvenance.Input(c.id(), c.sizeBytes(), h));
      d.update((c.id() + "\t" + c.sizeBytes() + "\t" + h + "\n").getBytes(StandardCharsets.UTF_8));
    }
    List<TableProvenance.Run> runs = new ArrayList<>(previous == null ? List.of() : previous.runs());
    runs.add(new TableProvenance.Run(runId, Instant.now().toString(), o.incremental(), summary.clipsOk(),
        summary.clipsSkipped(), summary.quarantined(), summary.segments(), summary.audioHours(),
        summary.wallSeconds(), summary.stageSeconds(), CodeVersion.get()));
    return new TableProvenance(TableProvenance.FORMAT_VERSION, FeatureTable.LAYOUT_VERSION, o.dataset(),
        listing.root(), o.spec().id(), o.spec().toTree(), CodeVersion.get(), vocabulary, targets.channels(),
        new TableProvenance.IngestSettings(o.validation(), o.test(), o.seed(), o.incremental(), o.partitions(),
            List.copyOf(o.hadoop().keySet())),
        inputs, Sha256.hexOf(d.digest()), countsOf(results), quarantineCounts(quarantine), runs,
        targets.sources());
  }

  private static SortedMap<String, SortedMap<String, Long>> countsOf(List<ClipResult> results) {
    SortedMap<String, SortedMap<String, Long>> counts = new TreeMap<>();
    for (ClipResult r : results) {
      if (!r.ok()) {
        continue;
      }
      SortedMap<String, Long> c = counts.computeIfAbsent(r.clip().split(), s -> new TreeMap<>());
      c.merge("clips", 1L, Long::sum);
      c.merge("segments", (long) r.segments().size(), Long::sum);
      for (String l : r.clip().labels()) {
        c.merge("label:" + l, 1L, Long::sum);
      }
    }
    return counts;
  }

  private static SortedMap<String, Long> quarantineCounts(List<QuarantineRecord> quarantine) {
    SortedMap<String, Long> q = new TreeMap<>();
    for (QuarantineRecord r : quarantine) {
      q.merge(r.stage() + "/" + r.errorClass(), 1L, Long::sum);
    }
    return q;
  }
}
