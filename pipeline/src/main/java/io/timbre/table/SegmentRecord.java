package io.timbre.table;

import java.io.Serializable;

/**
 * A {@code segments} row as a Java bean, so Spark encodes it with {@code Encoders.bean}: primitive {@code float[]}
 * columns are then copied into Spark's array format in one block, where generic {@code Row}s box every float
 * (measured: the bean path is several times faster for 128 × 43 floats a second of audio). Column names follow
 * {@link FeatureTable#SEGMENTS}; {@link FeatureTable#segmentColumns()} restores its order.
 */
public final class SegmentRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private String clip_id;
  private String dataset;
  private int segment_index;
  private int start_frame;
  private double start_sec;
  private double duration_sec;
  private int n_frames;
  private int n_valid_frames;
  private int n_bins;
  private float[] features;
  private String[] labels;
  private float[] targets;
  private int n_target_channels;
  private float[] frame_targets;
  private String group_key;
  private String content_sha256;
  private String spec_id;
  private String split;

  public String getClip_id() { return clip_id; }
  public void setClip_id(String v) { clip_id = v; }
  public String getDataset() { return dataset; }
  public void setDataset(String v) { dataset = v; }
  public int getSegment_index() { return segment_index; }
  public void setSegment_index(int v) { segment_index = v; }
  public int getStart_frame() { return start_frame; }
  public void setStart_frame(int v) { start_frame = v; }
  public double getStart_sec() { return start_sec; }
  public void setStart_sec(double v) { start_sec = v; }
  public double getDuration_sec() { return duration_sec; }
  public void setDuration_sec(double v) { duration_sec = v; }
  public int getN_frames() { return n_frames; }
  public void setN_frames(int v) { n_frames = v; }
  public int getN_valid_frames() { return n_valid_frames; }
  public void setN_valid_frames(int v) { n_valid_frames = v; }
  public int getN_bins() { return n_bins; }
  public void setN_bins(int v) { n_bins = v; }
  public float[] getFeatures() { return features; }
  public void setFeatures(float[] v) { features = v; }
  public String[] getLabels() { return labels; }
  public void setLabels(String[] v) { labels = v; }
  public float[] getTargets() { return targets; }
  public void setTargets(float[] v) { targets = v; }
  public int getN_target_channels() { return n_target_channels; }
  public void setN_target_channels(int v) { n_target_channels = v; }
  public float[] getFrame_targets() { return frame_targets; }
  public void setFrame_targets(float[] v) { frame_targets = v; }
  public String getGroup_key() { return group_key; }
  public void setGroup_key(String v) { group_key = v; }
  public String getContent_sha256() { return content_sha256; }
  public void setContent_sha256(String v) { content_sha256 = v; }
  public String getSpec_id() { return spec_id; }
  public void setSpec_id(String v) { spec_id = v; }
  public String getSplit() { return split; }
  public void setSplit(String v) { split = v; }
}
