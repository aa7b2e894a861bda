package io.timbre.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What training, checkpoints and inference need of a network, for both of DL4J's network types: Timbre's sequential
 * models are {@link MultiLayerNetwork}s, the separation network a {@link ComputationGraph}. DL4J's common
 * {@link Model} interface lacks the epoch and iteration counters, the learning rate and the typed restore.
 */
public final class Networks {
  private Networks() {}

  /** Sets the epoch counter schedules read (the number of finished epochs). */
  public static void setEpochCount(Model net, int epochs) {
    if (net instanceof ComputationGraph g) {
      g.getConfiguration().setEpochCount(epochs);
    } else {
      ((MultiLayerNetwork) net).getLayerWiseConfigurations().setEpochCount(epochs);
    }
  }

  public static long iterationCount(Model net) {
    return net instanceof ComputationGraph g ? g.getConfiguration().getIterationCount()
        : ((MultiLayerNetwork) net).getIterationCount();
  }

  /** The current learning rate of the first layer with parameters, NaN where DL4J cannot say. */
  public static double learningRate(Model net) {
    try {
      if (net instanceof ComputationGraph g) {
        for (Layer l : g.getLayers()) {
          if (l.numParams() > 0) {
            Double lr = g.getLearningRate(l.getConfig().getLayerName());
            return lr == null ? Double.NaN : lr;
          }
        }
        return Double.NaN;
      }
      Double lr = ((MultiLayerNetwork) net).getLearningRate(0);
      return lr == null ? Double.NaN : lr;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The layers' class names, in order (a graph's in topological order), for logs and provenance. */
  public static List<String> describe(Model net) {
    List<String> out = new ArrayList<>();
    Layer[] layers = net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
    for (Layer l : layers) {
      out.add(l.getConfig().getClass().getSimpleName());
    }
    return out;
  }

  /** The network's layers (a graph's in topological order). */
  public static Layer[] layers(Model net) {
    return net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
  }

  /** Outputs for one input batch, inference mode; the mask is used by sequential networks only. */
  public static INDArray output(Model net, INDArray features, INDArray featuresMask) {
    if (net instanceof ComputationGraph g) {
      return g.outputSingle(false, features);
    }
    return ((MultiLayerNetwork) net).output(features, false, featuresMask, null);
  }

  public static byte[] write(Model net, boolean updater) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, updater);
    return bytes.toByteArray();
  }

  /** A model zip written by {@link ModelSerializer}, as the network type its configuration describes. */
  public static Model restore(byte[] zip, boolean updater) throws IOException {
    if (isGraph(zip)) {
      return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), updater);
    }
    return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), updater);
  }

  /** A graph configuration has {@code vertices}; a multi-layer one {@code confs}. */
  static boolean isGraph(byte[] zip) throws IOException {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals("configuration.json")) {
          String json = new String(readAll(in), StandardCharsets.UTF_8);
          return json.contains("\"vertices\"") && !json.contains("\"confs\"");
        }
      }
    }
    throw new IOException("not a DL4J model: no configuration.json in the zip");
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
