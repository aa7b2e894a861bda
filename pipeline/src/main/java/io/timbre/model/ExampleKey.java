package io.timbre.model;

import java.io.Serializable;

/**
 * Identifies one network input (a segment, or a chunk of one for recurrent networks) and carries its ground truth,
 * so predictions can be scored and aggregated per clip without a join.
 *
 * @param start first frame of the chunk within the segment
 * @param valid frames of the chunk that are real (the rest is padding and is ignored when scoring)
 * @param truth segment-level: the multi-hot label vector; onset: valid × channels 0/1 onsets (unwidened);
 *     melody: the reference f0 in Hz per valid frame (0 = unvoiced)
 * @param clipFrame the chunk's first frame within the clip (segment start + chunk start), for frame-level scoring
 *     on the clip's own time axis
 */
public record ExampleKey(String clipId, int segment, int chunk, int start, int valid, float[] truth, int clipFrame)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
