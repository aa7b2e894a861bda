package io.timbre.model.drnn;

import static io.timbre.util.Checks.check;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The joint soft time-frequency mask of Huang et al. (TASLP 2015, eq. 7) as a graph vertex: inputs the network's
 * per-source outputs z (recurrent, {@code sources × bins} channels, source-major) and the mixture's magnitude
 * ({@code bins} channels); output ŷᵢ = |zᵢ| / (Σⱼ|zⱼ| + ε) ⊙ mixture, the sources' magnitude estimates, which sum to
 * the mixture wherever the network's outputs are not all 0. Because the mask is part of the network, the loss is
 * computed on the masked estimates and the masks are learnt jointly with the network (the paper's "joint
 * optimisation"). No parameters.
 */
public final class JointMaskVertex extends GraphVertex {
  private static final long serialVersionUID = 1L;
  /** Added to the denominator so silent bins (all |zⱼ| = 0) give a zero estimate, not NaN. */
  public static final double EPSILON = 1e-8;

  private final int sources;

  public JointMaskVertex(@JsonProperty("sources") int sources) {
    check(sources >= 2, "Cannot build joint mask: needs at least 2 sources: %s", sources);
    this.sources = sources;
  }

  @JsonProperty("sources")
  public int sources() {
    return sources;
  }

  @Override
  public JointMaskVertex clone() {
    return new JointMaskVertex(sources);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JointMaskVertex v && v.sources == sources;
  }

  @Override
  public int hashCode() {
    return 31 * sources + 7;
  }

  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return 2;
  }

  @Override
  public int maxVertexInputs() {
    return 2;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
      INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
    return new JointMaskVertexImpl(graph, name, idx, sources, networkDatatype);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... in) throws InvalidInputTypeException {
    if (in.length != 2 || !(in[0] instanceof InputType.InputTypeRecurrent z)
        || !(in[1] instanceof InputType.InputTypeRecurrent mix)) {
      throw new InvalidInputTypeException("JointMaskVertex needs two recurrent inputs (outputs, mixture), got "
          + java.util.Arrays.toString(in));
    }
    if (z.getSize() != sources * mix.getSize()) {
      throw new InvalidInputTypeException("JointMaskVertex: " + z.getSize() + " output channels for " + sources
          + " sources of " + mix.getSize() + " mixture bins");
    }
    return in[0];
  }

  @Override
  public MemoryReport getMemoryReport(InputType... in) {
    return new LayerMemoryReport.Builder(null, JointMaskVertex.class, in[0], in[0]).standardMemory(0, 0)
        .workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
  }

  @Override
  public String toString() {
    return "JointMaskVertex(sources=" + sources + ")";
  }
}
