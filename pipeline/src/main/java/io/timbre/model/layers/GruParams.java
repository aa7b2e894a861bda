package io.timbre.model.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A {@link Gru}'s parameters in its flat view: input weights {@code W} [nIn, 3·units], recurrent weights {@code RW}
 * [units, 3·units] and bias {@code b} [1, 3·units], each with its gate columns in the order reset, update, candidate.
 * Weights use the layer's weight initialisation (the recurrent one for {@code RW} when set), fan-out = units; the
 * bias starts at the layer's bias init (0).
 */
public final class GruParams implements ParamInitializer {
  public static final GruParams INSTANCE = new GruParams();
  public static final String WEIGHT_KEY = "W";
  public static final String RECURRENT_WEIGHT_KEY = "RW";
  public static final String BIAS_KEY = "b";
  private static final List<String> KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
  private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);

  private GruParams() {}

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    Gru g = (Gru) layer;
    long n = g.getNOut();
    return g.getNIn() * 3 * n + n * 3 * n + 3 * n;
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return KEYS;
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return WEIGHT_KEYS;
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return List.of(BIAS_KEY);
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return WEIGHT_KEYS.contains(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return BIAS_KEY.equals(key);
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
    Gru g = (Gru) conf.getLayer();
    long nIn = g.getNIn();
    long n = g.getNOut();
    Map<String, INDArray> m = subsets(view, nIn, n);
    if (initialize) {
      IWeightInit init = g.getWeightInitFn();
      IWeightInit recurrent = g.getWeightInitFnRecurrent() != null ? g.getWeightInitFnRecurrent() : init;
      init.init(nIn, n, new long[] {nIn, 3 * n}, 'f', m.get(WEIGHT_KEY));
      recurrent.init(n, n, new long[] {n, 3 * n}, 'f', m.get(RECURRENT_WEIGHT_KEY));
      m.get(BIAS_KEY).assign(g.getBiasInit());
    }
    for (String k : KEYS) {
      conf.addVariable(k);
    }
    return m;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
    Gru g = (Gru) conf.getLayer();
    return subsets(view, g.getNIn(), g.getNOut());
  }

  private static Map<String, INDArray> subsets(INDArray flat, long nIn, long n) {
    INDArray row = flat.reshape(flat.length());
    long w = nIn * 3 * n;
    long rw = n * 3 * n;
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put(WEIGHT_KEY, row.get(NDArrayIndex.interval(0, w)).reshape('f', nIn, 3 * n));
    m.put(RECURRENT_WEIGHT_KEY, row.get(NDArrayIndex.interval(w, w + rw)).reshape('f', n, 3 * n));
    m.put(BIAS_KEY, row.get(NDArrayIndex.interval(w + rw, w + rw + 3 * n)).reshape(1, 3 * n));
    return m;
  }
}
