package io.timbre.backend;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Deeplearning4j's oneDNN layer helpers (convolution, batch normalisation, pooling): the same layers run as one
 * libnd4j op each (oneDNN's kernels where libnd4j has them) instead of DL4J's built-in code of many small ops.
 *
 * <p>DL4J 1.0.0-M2.1 ships them switched off twice: the system property {@value #DISABLE_PROPERTY} defaults to true,
 * and the helpers' own check looks for an ND4J class under a name M2.1 no longer uses (Timbre answers that lookup,
 * see {@code org.nd4j.nativeblas.Nd4jCpu}). {@link #configure()} switches them on in every JVM that builds a network
 * — the driver and, through {@code TimbrePlugin}, each executor — unless the user set the property;
 * {@code -D}{@value #PROPERTY}{@code =false} restores DL4J's default. A layer picks its helper when it is built, so
 * this must run before networks are created or deserialised.
 */
public final class LayerHelpers {
  /** DL4J's switch, read each time a layer is built: "true" (DL4J's default) means no helpers. */
  public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
  /** Timbre's switch: false keeps DL4J's built-in layer code. */
  public static final String PROPERTY = "timbre.dl4j.helpers";

  private LayerHelpers() {}

  /**
   * Switches the helpers on (or off with {@code -Dtimbre.dl4j.helpers=false}) unless DL4J's property is set. Only on
   * the CPU backend: with ND4J's CUDA backend on the classpath DL4J's default stays (its cuDNN helpers need a module
   * Timbre does not ship), and nothing here loads ND4J, so a JVM that never trains does not pay for it.
   */
  public static void configure() {
    if (System.getProperty(DISABLE_PROPERTY) == null && !cudaBackendPresent()) {
      set(!"false".equalsIgnoreCase(System.getProperty(PROPERTY)));
    }
  }

  private static boolean cudaBackendPresent() {
    try {
      Class.forName(BackendProbe.CUDA_BACKEND, false, LayerHelpers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** For networks built from now on in this JVM: helpers on or off. */
  public static void set(boolean on) {
    System.setProperty(DISABLE_PROPERTY, Boolean.toString(!on));
  }

  /** Whether networks built now get helpers: switched on, and DL4J's check finds the backend using oneDNN. */
  public static boolean enabled() {
    return !Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true")) && BaseMKLDNNHelper.mklDnnEnabled();
  }

  /**
   * The helper each helper-capable layer of a built network runs with ("none" for built-in code), for logs, doctor
   * and the benchmark.
   */
  public static List<String> describe(Model net) {
    List<String> out = new ArrayList<>();
    Layer[] layers = net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
    for (Layer layer : layers) {
      Field f = field(layer.getClass());
      if (f != null) {
        Object helper = read(f, layer);
        out.add(layer.getClass().getSimpleName() + ":" + (helper == null ? "none"
            : helper.getClass().getSimpleName()));
      }
    }
    return out;
  }

  /** How many of a network's helper-capable layers run with a helper. */
  public static int engaged(Model net) {
    return (int) describe(net).stream().filter(d -> !d.endsWith(":none")).count();
  }

  private static Object read(Field f, Layer layer) {
    try {
      return f.get(layer);
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  /** DL4J's layers keep their helper in a private field named {@code helper}. */
  private static Field field(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField("helper");
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException e) {
        continue;
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }
}
