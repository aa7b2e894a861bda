package io.timbre.spark;

import io.timbre.backend.LayerHelpers;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM setup that must hold in every JVM of a Timbre application before any of its tasks runs, whichever
 * executor it lands on: Spark starts plugins ({@code spark.plugins}) in the driver and in each executor as it
 * starts (Spark 3.5 fetches the application jar before it loads them), so executors added by dynamic allocation or
 * started to replace a lost one are covered as well as the first ones. What it does: {@link LocalClock#install()} and
 * {@link LayerHelpers#configure()}.
 */
public final class TimbrePlugin implements SparkPlugin {
  static final String PLUGINS = "spark.plugins";

  /** Adds this plugin to {@code spark.plugins}, keeping any the user listed. */
  public static void register(SparkConf conf) {
    Set<String> plugins = new LinkedHashSet<>();
    for (String p : conf.get(PLUGINS, "").split(",")) {
      if (!p.isBlank()) {
        plugins.add(p.strip());
      }
    }
    plugins.add(TimbrePlugin.class.getName());
    conf.set(PLUGINS, String.join(",", plugins));
  }

  /** Whether {@code conf} lists this plugin. */
  public static boolean registered(SparkConf conf) {
    return Arrays.stream(conf.get(PLUGINS, "").split(",")).map(String::strip)
        .anyMatch(TimbrePlugin.class.getName()::equals);
  }

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Map<String, String> init(SparkContext sc, PluginContext ctx) {
        LocalClock.install();
        LayerHelpers.configure();
        return Collections.emptyMap();
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        LocalClock.install();
        LayerHelpers.configure();
        LoggerFactory.getLogger(TimbrePlugin.class).info("Executor {}: DL4J time source {}, oneDNN layer helpers {}",
            ctx.executorID(), LocalClock.timeSource(), LayerHelpers.enabled() ? "on" : "off");
      }
    };
  }
}
