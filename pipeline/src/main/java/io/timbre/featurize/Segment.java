package io.timbre.featurize;

import java.io.Serializable;

/**
 * One fixed-length slice of a clip's features with its targets: a row of the {@code segments} table.
 *
 * @param index 0-based position within the clip
 * @param startFrame first STFT frame of the segment
 * @param frames frames in {@code features} (the segment length; the last segment may be padded)
 * @param validFrames frames that hold real audio (&lt; frames only for a padded final segment)
 * @param bins values per frame
 * @param features frames × bins, row-major
 * @param frameTargets frames × channels, row-major (empty when the dataset has no frame-level annotation)
 */
public record Segment(int index, int startFrame, int frames, int validFrames, int bins, float[] features,
    float[] frameTargets) implements Serializable {
  private static final long serialVersionUID = 1L;
}
