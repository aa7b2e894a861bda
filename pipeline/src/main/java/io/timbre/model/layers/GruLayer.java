package io.timbre.model.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The GRU's computation, with the reset gate applied before the recurrent product (Cho et al. 2014; PyTorch's and
 * cuDNN's convention differs only there, applying it after):
 *
 * <pre>
 *   r = σ(x·W_r + h·U_r + b_r)        z = σ(x·W_z + h·U_z + b_z)
 *   n = tanh(x·W_n + (r ⊙ h)·U_n + b_n)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * <p>Backpropagation through time is written out by hand (DL4J has no GRU op to differentiate); it is checked against
 * finite differences in GruLayerTest. A mask [batch, time] zeroes the outputs of masked steps (the state runs on
 * through them, as in DL4J's SimpleRnn, which is exact for the trailing padding Timbre's chunks have). {@link
 * #rnnTimeStep} keeps the last state between calls, for autoregressive generation.
 */
public class GruLayer extends BaseRecurrentLayer<Gru> {
  private static final long serialVersionUID = 1L;
  static final String STATE_KEY = "h";

  public GruLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Per-step gate activations of one forward pass: [batch, units] each, in time order. */
  private record Steps(INDArray[] r, INDArray[] z, INDArray[] n, INDArray[] previous, INDArray out) {}

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    return forward(null, training, mgr).out();
  }

  @Override
  public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr mgr) {
    setInput(input, mgr);
    Steps s = forward(stateMap.get(STATE_KEY), false, mgr);
    keepLast(stateMap, s);
    return s.out();
  }

  @Override
  public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLast,
      LayerWorkspaceMgr mgr) {
    setInput(input, mgr);
    Steps s = forward(tBpttStateMap.get(STATE_KEY), training, mgr);
    if (storeLast) {
      keepLast(tBpttStateMap, s);
    }
    return s.out();
  }

  private static void keepLast(java.util.Map<String, INDArray> state, Steps s) {
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      state.put(STATE_KEY, s.out().get(all(), all(), point(s.out().size(2) - 1)).dup('f'));
    }
  }

  private Steps forward(INDArray initial, boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    if (layerConf().getRnnDataFormat() == RNNFormat.NWC) {
      throw new UnsupportedOperationException("Gru takes [batch, features, time] (NCW) input only");
    }
    applyDropOutIfNecessary(training, mgr);
    INDArray x = input.rank() == 3 ? input : input.reshape(input.size(0), input.size(1), 1);
    long batch = x.size(0);
    long steps = x.size(2);
    long units = layerConf().getNOut();
    INDArray w = getParamWithNoise(GruParams.WEIGHT_KEY, training, mgr);
    INDArray rw = getParamWithNoise(GruParams.RECURRENT_WEIGHT_KEY, training, mgr);
    INDArray b = getParamWithNoise(GruParams.BIAS_KEY, training, mgr);
    INDArray rwGates = rw.get(all(), interval(0, 2 * units));
    INDArray rwCandidate = rw.get(all(), interval(2 * units, 3 * units));

    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), new long[] {batch, units, steps}, 'f');
    Steps s = new Steps(new INDArray[(int) steps], new INDArray[(int) steps], new INDArray[(int) steps],
        new INDArray[(int) steps], out);
    INDArray h = initial != null ? initial.castTo(x.dataType()) : Nd4j.zeros(x.dataType(), batch, units);
    for (int t = 0; t < steps; t++) {
      INDArray xt = x.get(all(), all(), point(t));
      INDArray g = xt.mmul(w).addiRowVector(b); // [batch, 3·units]
      INDArray gates = g.get(all(), interval(0, 2 * units)).addi(h.mmul(rwGates));
      INDArray r = Transforms.sigmoid(gates.get(all(), interval(0, units)), true);
      INDArray z = Transforms.sigmoid(gates.get(all(), interval(units, 2 * units)), true);
      INDArray n = Transforms.tanh(g.get(all(), interval(2 * units, 3 * units)).addi(r.mul(h).mmul(rwCandidate)),
          true);
      INDArray next = h.sub(n).muli(z).addi(n);
      s.r()[t] = r;
      s.z()[t] = z;
      s.n()[t] = n;
      s.previous()[t] = h;
      out.get(all(), all(), point(t)).assign(next);
      h = next;
    }
    if (maskArray != null) {
      out.muli(maskArray.castTo(out.dataType()).reshape(batch, 1, steps));
    }
    return s;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    return tbpttBackpropGradient(epsilon, -1, mgr);
  }

  @Override
  public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int backLength, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    Steps s = forward(null, true, mgr);
    INDArray x = input.rank() == 3 ? input : input.reshape(input.size(0), input.size(1), 1);
    long batch = x.size(0);
    long steps = x.size(2);
    long units = layerConf().getNOut();
    INDArray eps = epsilon.rank() == 3 ? epsilon : epsilon.reshape(batch, units, 1);
    if (maskArray != null) {
      eps = eps.mul(maskArray.castTo(eps.dataType()).reshape(batch, 1, steps));
    }
    INDArray w = getParamWithNoise(GruParams.WEIGHT_KEY, true, mgr);
    INDArray rw = getParamWithNoise(GruParams.RECURRENT_WEIGHT_KEY, true, mgr);
    INDArray rwGates = rw.get(all(), interval(0, 2 * units));
    INDArray rwCandidate = rw.get(all(), interval(2 * units, 3 * units));
    INDArray dW = gradientViews.get(GruParams.WEIGHT_KEY);
    INDArray dRw = gradientViews.get(GruParams.RECURRENT_WEIGHT_KEY);
    INDArray dB = gradientViews.get(GruParams.BIAS_KEY);
    gradientsFlattened.assign(0);
    INDArray dRwGates = dRw.get(all(), interval(0, 2 * units));
    INDArray dRwCandidate = dRw.get(all(), interval(2 * units, 3 * units));

    INDArray epsOut = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'f');
    long end = backLength > 0 ? Math.max(0, steps - backLength) : 0;
    if (end > 0) {
      epsOut.get(all(), all(), interval(0, end)).assign(0);
    }
    INDArray dhNext = Nd4j.zeros(x.dataType(), batch, units);
    INDArray dG = Nd4j.create(x.dataType(), new long[] {batch, 3 * units}, 'f');
    for (long t = steps - 1; t >= end; t--) {
      int i = (int) t;
      INDArray r = s.r()[i];
      INDArray z = s.z()[i];
      INDArray n = s.n()[i];
      INDArray hPrev = s.previous()[i];
      INDArray dh = eps.get(all(), all(), point(t)).add(dhNext);
      // h' = n + z ⊙ (h − n)
      INDArray dn = dh.mul(z.rsub(1.0));
      INDArray dz = dh.mul(hPrev.sub(n));
      INDArray dhPrev = dh.mul(z);
      INDArray dnPre = dn.muli(n.mul(n).rsubi(1.0));
      INDArray dzPre = dz.muli(z.mul(z.rsub(1.0)));
      INDArray dRh = dnPre.mmul(rwCandidate.transpose());
      INDArray drPre = dRh.mul(hPrev).muli(r.mul(r.rsub(1.0)));
      dhPrev.addi(dRh.muli(r));
      dG.get(all(), interval(0, units)).assign(drPre);
      dG.get(all(), interval(units, 2 * units)).assign(dzPre);
      dG.get(all(), interval(2 * units, 3 * units)).assign(dnPre);
      INDArray dGates = dG.get(all(), interval(0, 2 * units));
      dhPrev.addi(dGates.mmul(rwGates.transpose()));
      dRwGates.addi(hPrev.transpose().mmul(dGates));
      dRwCandidate.addi(r.mul(hPrev).transpose().mmul(dnPre));
      INDArray xt = x.get(all(), all(), point(t));
      dW.addi(xt.transpose().mmul(dG));
      dB.addi(dG.sum(0).reshape(dB.shape()));
      epsOut.get(all(), all(), point(t)).assign(dG.mmul(w.transpose()));
      dhNext = dhPrev;
    }
    weightNoiseParams.clear();
    Gradient g = new DefaultGradient(gradientsFlattened);
    g.gradientForVariable().put(GruParams.WEIGHT_KEY, dW);
    g.gradientForVariable().put(GruParams.RECURRENT_WEIGHT_KEY, dRw);
    g.gradientForVariable().put(GruParams.BIAS_KEY, dB);
    if (input.rank() != 3) {
      epsOut = epsOut.reshape(input.shape());
    }
    return new Pair<>(g, backpropDropOutIfPresent(epsOut));
  }
}
