package io.timbre.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timbre.exceptions.ConcurrentWriterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per table: the lease is taken by exactly one of many racing runs, and a dead run's can be broken. */
class TableLeaseTest {
  private final Configuration conf = io.timbre.spark.Sessions.hadoopConfiguration();

  @Test
  void ofSixteenRacingWritersExactlyOneGetsTheLease(@TempDir Path tmp) throws Exception {
    String table = tmp.resolve("irmas/spec").toString();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<TableLease>> tries = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      tries.add(pool.submit(() -> {
        go.await();
        try {
          return TableLease.acquire(table, conf, "ingest", Duration.ofMinutes(10), false);
        } catch (ConcurrentWriterException e) {
          return null;
        }
      }));
    }
    go.countDown();
    List<TableLease> won = new ArrayList<>();
    for (Future<TableLease> f : tries) {
      if (f.get() != null) {
        won.add(f.get());
      }
    }
    pool.shutdown();
    assertThat(won).hasSize(1);
    won.get(0).close();
    assertThat(tmp.resolve("irmas/spec/" + TableLease.FILE)).doesNotExist();
  }

  @Test
  void aSecondWriterIsToldWhoHoldsTheTable(@TempDir Path tmp) {
    String table = tmp.resolve("t").toString();
    try (TableLease first = TableLease.acquire(table, conf, "ingest irmas from /data/a", Duration.ofMinutes(10),
        false)) {
      assertThatThrownBy(() -> TableLease.acquire(table, conf, "ingest irmas from /data/b", Duration.ofMinutes(10),
          true)).isInstanceOf(ConcurrentWriterException.class).hasMessageContaining("another run is writing it")
          .hasMessageContaining("ingest irmas from /data/a").hasMessageContaining("pid " + ProcessHandle.current()
              .pid());
    }
    // Released: the next writer gets it.
    TableLease.acquire(table, conf, "ingest", Duration.ofMinutes(10), false).close();
  }

  @Test
  void aStaleLeaseIsBrokenOnlyWhenAsked(@TempDir Path tmp) throws Exception {
    String table = tmp.resolve("t").toString();
    Files.createDirectories(tmp.resolve("t"));
    Files.writeString(tmp.resolve("t/" + TableLease.FILE), "{\"token\":\"dead\",\"purpose\":\"ingest x\","
        + "\"host\":\"h\",\"pid\":1,\"started_at\":\"2026-01-01T00:00:00Z\",\"heartbeat_at\":\""
        + Instant.now().minusSeconds(3600) + "\"}");
    assertThatThrownBy(() -> TableLease.acquire(table, conf, "ingest", Duration.ofMinutes(10), false))
        .hasMessageContaining("a stale lease").hasMessageContaining("--break-stale-lease");
    try (TableLease lease = TableLease.acquire(table, conf, "ingest", Duration.ofMinutes(10), true)) {
      assertThat(Files.readString(tmp.resolve("t/" + TableLease.FILE))).doesNotContain("\"dead\"");
    }
  }

  @Test
  void theHeartbeatKeepsALongRunFresh(@TempDir Path tmp) throws Exception {
    String table = tmp.resolve("t").toString();
    try (TableLease lease = TableLease.acquire(table, conf, "ingest", Duration.ofMillis(800), false)) {
      Thread.sleep(1_500); // longer than the stale limit: only heartbeats keep it fresh
      assertThatThrownBy(() -> TableLease.acquire(table, conf, "ingest 2", Duration.ofMillis(800), true))
          .hasMessageContaining("another run is writing it");
    }
  }
}
