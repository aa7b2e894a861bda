package io.timbre.model.drnn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link JointMaskVertex}'s computation. Forward: a = |z| viewed as [batch, sources, bins, time], D = Σᵢ aᵢ + ε,
 * ŷᵢ = aᵢ / D · m. Backward, with g = ∂L/∂ŷ: ∂L/∂zₖ = sign(zₖ) · m / D · (gₖ − Σᵢ gᵢ aᵢ / D), and
 * ∂L/∂m = Σᵢ gᵢ aᵢ / D.
 */
final class JointMaskVertexImpl extends BaseGraphVertex {
  private final int sources;

  JointMaskVertexImpl(ComputationGraph graph, String name, int index, int sources, DataType dataType) {
    super(graph, name, index, null, null, dataType);
    this.sources = sources;
  }

  @Override
  public boolean hasLayer() {
    return false;
  }

  @Override
  public Layer getLayer() {
    return null;
  }

  /** z as [batch, sources, bins, time] (a c-order copy when z is a view another layout). */
  private INDArray split(INDArray z) {
    long[] s = z.shape();
    INDArray c = z.ordering() == 'c' && z.isView() == false ? z : z.dup('c');
    return c.reshape('c', s[0], sources, s[1] / sources, s[2]);
  }

  private INDArray mixture() {
    long[] s = inputs[1].shape();
    INDArray c = inputs[1].ordering() == 'c' && !inputs[1].isView() ? inputs[1] : inputs[1].dup('c');
    return c.reshape('c', s[0], 1, s[1], s[2]);
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoForward()) {
      throw new IllegalStateException("Cannot do forward pass: inputs not set");
    }
    INDArray a = Transforms.abs(split(inputs[0]), true);
    INDArray d = a.sum(true, 1).addi(JointMaskVertex.EPSILON);
    INDArray y = a.divi(d).muli(mixture());
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, y.reshape('c', inputs[0].shape()));
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoBackward()) {
      throw new IllegalStateException("Cannot do backward pass: errors not set");
    }
    INDArray z = split(inputs[0]);
    INDArray a = Transforms.abs(z, true);
    INDArray d = a.sum(true, 1).addi(JointMaskVertex.EPSILON);
    INDArray g = split(epsilon);
    INDArray m = mixture();
    // s = Σᵢ gᵢ aᵢ / D, shape [batch, 1, bins, time]
    INDArray s = g.mul(a).sum(true, 1).divi(d);
    INDArray dz = g.sub(s).muli(m).divi(d).muli(Transforms.sign(z, true));
    INDArray dm = s.reshape('c', inputs[1].shape());
    return new Pair<>(null, new INDArray[] {
        workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dz.reshape('c', inputs[0].shape())),
        workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dm.dup('c'))});
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray view) {
    if (view != null) {
      throw new IllegalStateException("JointMaskVertex has no parameters");
    }
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] masks, MaskState state, int minibatch) {
    if (masks == null) {
      return new Pair<>(null, state);
    }
    for (INDArray mask : masks) {
      if (mask != null) {
        return new Pair<>(mask, state);
      }
    }
    return new Pair<>(null, state);
  }

  @Override
  public String toString() {
    return "JointMaskVertex(name=" + getVertexName() + ", sources=" + sources + ")";
  }
}
