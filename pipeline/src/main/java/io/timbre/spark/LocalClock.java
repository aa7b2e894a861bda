package io.timbre.spark;

import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.deeplearning4j.spark.time.TimeSourceProvider;

/**
 * Workaround for a DL4J default: with training statistics on, dl4j-spark's {@code TimeSourceProvider} defaults to
 * {@code NTPTimeSource}, which queries {@code 0.pool.ntp.org} from every JVM that runs a fit task, and fails the job
 * after ten tries where there is no Internet (a locked-down VPC, CI). Timbre pins the system clock instead, in every
 * JVM of the application: {@link TimbrePlugin} calls {@link #install()} when the driver and each executor start,
 * including executors that join late (dynamic allocation, a replacement for a lost one) and never ran another Timbre
 * task. The same pin as a JVM flag is in {@code conf/jvm-flags.txt}. A user who wants NTP sets the property
 * {@value TimeSourceProvider#TIMESOURCE_CLASSNAME_PROPERTY} explicitly; it is never overridden.
 */
public final class LocalClock {
  private LocalClock() {}

  public static void install() {
    if (System.getProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY) == null) {
      System.setProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY, SystemClockTimeSource.class.getName());
    }
  }

  /** The time source DL4J will use in this JVM. */
  public static String timeSource() {
    return System.getProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY,
        "org.deeplearning4j.spark.time.NTPTimeSource");
  }
}
