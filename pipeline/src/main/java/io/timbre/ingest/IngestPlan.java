package io.timbre.ingest;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.DatasetListing;
import io.timbre.datasets.DatasetRoot;
import io.timbre.datasets.QuarantineRecord;
import io.timbre.datasets.catalog.Datasets;
import io.timbre.featurize.FrameTargets;
import io.timbre.table.TableProvenance;
import io.timbre.table.TableVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one ingest run will do, decided on the driver before any featurising: the listing, the label vocabulary and
 * frame-target channels of the table, the clips to featurise (all of them; or, incremental, those not in the table
 * yet) and the published version it replaces or adds to.
 *
 * @param quarantine what the listing (and the incremental diff) refused
 * @param hashes content hashes computed while planning (incremental runs), by clip id
 * @param append whether the run adds to {@code published} rather than replacing it
 */
record IngestPlan(DatasetListing listing, List<String> vocabulary, FrameTargets targets, List<ClipRef> todo,
    List<QuarantineRecord> quarantine, Map<String, String> hashes, long alreadyPresent, boolean append,
    TableVersion published, TableProvenance previous) {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPlan.class);

  static IngestPlan make(SparkSession spark, IngestOptions o, String table, Configuration hconf) {
    DatasetListing listing = Datasets.reader(o.dataset(), o.validation(), o.test(), o.seed())
        .read(DatasetRoot.open(o.input(), hconf));
    LOG.info("Listed {}", listing.summary().strip());
    List<String> vocabulary = List.copyOf(new TreeSet<>(listing.clips().stream().flatMap(c -> c.labels().stream())
        .toList()));
    FrameTargets targets = o.sources() != null ? FrameTargets.separation(o.sources())
        : o.frames() != null ? FrameTargets.generation(o.frames()) : FrameTargets.of(listing.clips());
    List<QuarantineRecord> quarantine = new ArrayList<>(listing.quarantine());
    TableVersion published = TableVersion.current(table, hconf);
    TableProvenance previous = published == null ? null
        : TableProvenance.read(published.provenanceLocation(), hconf);
    if (!o.incremental() || previous == null) {
      return new IngestPlan(listing, vocabulary, targets, listing.clips(), quarantine, Map.of(), 0, false, published,
          previous);
    }
    IncrementalDiff.checkCompatible(previous, vocabulary, targets, table);
    IncrementalDiff diff = IncrementalDiff.of(spark, table, listing.clips(), o.hadoop());
    quarantine.addAll(diff.changed());
    LOG.info("Incremental: {} of {} clips are new ({} already in {})", diff.fresh().size(), listing.clips().size(),
        diff.alreadyPresent(), table);
    return new IngestPlan(listing, vocabulary, targets, diff.fresh(), quarantine, diff.hashes(),
        diff.alreadyPresent(), true, published, previous);
  }
}
