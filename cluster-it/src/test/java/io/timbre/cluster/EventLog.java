package io.timbre.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One application's Spark event log ({@code spark.eventLog.enabled}), read back: which executor ran which task of
 * which job, by the job's description ({@code sc.setJobDescription}, e.g. "timbre train irmas-cnn: epoch 1 fit").
 * It is what Spark's history server reads, so what the tests assert is what a user can see there.
 */
final class EventLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One finished task attempt. */
  record Task(String job, int stage, int index, int attempt, String executor, String reason) {}

  private final List<Task> tasks;
  private final List<String> executorsAdded;
  private final List<String> executorsRemoved;

  private EventLog(List<Task> tasks, List<String> added, List<String> removed) {
    this.tasks = tasks;
    this.executorsAdded = added;
    this.executorsRemoved = removed;
  }

  /** The event log of the application that started last among those logging to {@code dir}. */
  static EventLog newest(Path dir) throws IOException {
    Path newest;
    try (var s = Files.list(dir)) {
      newest = s.max(java.util.Comparator.comparing(EventLog::modified)).orElseThrow(() ->
          new IllegalStateException("No event log in " + dir));
    }
    return parse(newest);
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static EventLog parse(Path file) throws IOException {
    Map<Integer, String> jobOfStage = new HashMap<>();
    List<Task> tasks = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode e = JSON.readTree(line);
      switch (e.path("Event").asText()) {
        case "SparkListenerJobStart" -> {
          String description = e.path("Properties").path("spark.job.description").asText("");
          for (JsonNode id : e.path("Stage IDs")) {
            jobOfStage.put(id.asInt(), description);
          }
        }
        case "SparkListenerTaskEnd" -> {
          JsonNode info = e.path("Task Info");
          int stage = e.path("Stage ID").asInt();
          tasks.add(new Task(jobOfStage.getOrDefault(stage, ""), stage, info.path("Index").asInt(),
              info.path("Attempt").asInt(), info.path("Executor ID").asText(),
              e.path("Task End Reason").path("Reason").asText()));
        }
        case "SparkListenerExecutorAdded" -> added.add(e.path("Executor ID").asText());
        case "SparkListenerExecutorRemoved" -> removed.add(e.path("Executor ID").asText());
        default -> { }
      }
    }
    return new EventLog(tasks, added, removed);
  }

  List<Task> tasks() {
    return tasks;
  }

  /** The executors on which tasks of jobs whose description contains {@code job} succeeded. */
  Set<String> executorsThatRan(String job) {
    Set<String> ids = new TreeSet<>();
    for (Task t : tasks) {
      if (t.job().contains(job) && "Success".equals(t.reason())) {
        ids.add(t.executor());
      }
    }
    return ids;
  }

  List<String> executorsAdded() {
    return executorsAdded;
  }

  List<String> executorsRemoved() {
    return executorsRemoved;
  }
}
