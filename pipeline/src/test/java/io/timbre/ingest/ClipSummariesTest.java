package io.timbre.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.timbre.datasets.ClipRef;
import io.timbre.datasets.NoteEvent;
import io.timbre.featurize.ClipResult;
import io.timbre.featurize.Segment;
import io.timbre.spark.Sessions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipSummariesTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = Sessions.create("ClipSummariesTest", "local[1]", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The accumulator as a task holds it on an executor: registered on the driver, then deserialised. */
  static ClipSummaries onExecutor() throws Exception {
    ClipSummaries acc = new ClipSummaries();
    spark.sparkContext().register(acc, "test summaries");
    return roundTrip(acc);
  }

  static ClipResult result(int i) {
    ClipRef clip = new ClipRef("cel/" + i + ".wav", "irmas", List.of("file:/d/cel/" + i + ".wav"), "train",
        List.of("cel"), new TreeMap<>(Map.of("genre", "cla")), List.of(NoteEvent.onset(0.5, "cel")), List.of(),
        "g" + i, 1000);
    List<Segment> segments = List.of(new Segment(0, 0, 43, 43, 128, new float[43 * 128], new float[0]),
        new Segment(1, 43, 43, 20, 128, new float[43 * 128], new float[0]));
    return new ClipResult(clip, "ab" + i, 1.5, 44100, 2, 16, "PCM_SIGNED", 66, segments, null);
  }

  static ClipSummaries roundTrip(ClipSummaries acc) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(acc);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ClipSummaries) in.readObject();
    }
  }

  /** What an executor's heartbeat thread does while the task thread adds: every serialisation is a clean prefix. */
  @Test
  void serialisesConsistentSnapshotsWhileATaskAdds() throws Exception {
    ClipSummaries acc = onExecutor();
    AtomicBoolean stop = new AtomicBoolean();
    java.util.concurrent.CountDownLatch added = new java.util.concurrent.CountDownLatch(1);
    Thread task = new Thread(() -> {
      for (int i = 0; !stop.get() && i < 5_000; i++) {
        acc.add(result(i % 1000));
        added.countDown();
      }
    });
    task.start();
    List<Integer> sizes = new ArrayList<>();
    try {
      // Snapshots start once the task has added something, so the last one cannot be empty however the threads run.
      assertThat(added.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      for (int k = 0; k < 60; k++) {
        ClipSummaries copy = roundTrip(acc);
        List<ClipResult> v = copy.value();
        sizes.add(v.size());
        for (int i = 0; i < v.size(); i++) {
          assertThat(v.get(i).clip().id()).isEqualTo("cel/" + (i % 1000) + ".wav");
        }
      }
    } finally {
      stop.set(true);
      task.join();
    }
    assertThat(sizes).isSorted();
    assertThat(sizes.get(sizes.size() - 1)).isPositive();
  }

  @Test
  void keepsFactsAndSegmentBoundariesButNoFeaturesOrAnnotations() throws Exception {
    ClipSummaries acc = onExecutor();
    ClipResult full = result(7);
    acc.add(full);
    ClipResult s = roundTrip(acc).value().get(0);
    assertThat(s.sha256()).isEqualTo("ab7");
    assertThat(s.durationSec()).isEqualTo(1.5);
    assertThat(s.segments()).extracting(Segment::startFrame).containsExactly(0, 43);
    assertThat(s.segments()).extracting(Segment::validFrames).containsExactly(43, 20);
    assertThat(s.segments()).allSatisfy(seg -> assertThat(seg.features()).isEmpty());
    assertThat(s.clip().events()).isEmpty();
    assertThat(s.clip().labels()).containsExactly("cel");
    assertThat(s.withClip(full.clip()).clip()).isEqualTo(full.clip());
  }

  @Test
  void mergesAndResets() {
    ClipSummaries a = new ClipSummaries();
    ClipSummaries b = new ClipSummaries();
    assertThat(a.isZero()).isTrue();
    a.add(result(1));
    b.add(result(2));
    a.merge(b);
    assertThat(a.value()).extracting(r -> r.clip().id()).containsExactly("cel/1.wav", "cel/2.wav");
    ClipSummaries c = a.copy();
    a.reset();
    assertThat(a.isZero()).isTrue();
    assertThat(c.value()).hasSize(2);
  }
}
