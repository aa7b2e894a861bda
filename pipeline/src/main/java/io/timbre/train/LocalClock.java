package io.timbre.train;

import org.deeplearning4j.spark.time.SystemClockTimeSource;
import org.deeplearning4j.spark.time.TimeSourceProvider;

/**
 * Workaround for a DL4J default: with training statistics on, dl4j-spark's {@code TimeSourceProvider} defaults to
 * {@code NTPTimeSource}, which queries {@code 0.pool.ntp.org} from every JVM (and fails the run after ten tries where
 * there is no Internet — a locked-down VPC, or CI). Timbre pins the system clock instead, on the driver and, because
 * this is called from the encoding step that runs on every executor before training, on the executors too. A user
 * who wants NTP sets the property {@value TimeSourceProvider#TIMESOURCE_CLASSNAME_PROPERTY} explicitly.
 */
public final class LocalClock {
  private LocalClock() {}

  public static void install() {
    if (System.getProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY) == null) {
      System.setProperty(TimeSourceProvider.TIMESOURCE_CLASSNAME_PROPERTY, SystemClockTimeSource.class.getName());
    }
  }
}
