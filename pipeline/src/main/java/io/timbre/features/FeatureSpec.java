package io.timbre.features;

import static io.timbre.util.Checks.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.timbre.util.Sha256;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything that determines a feature array, and nothing else: two clips featurised with equal specs are comparable,
 * and a table written with one spec is never mixed with another ({@link #id()} names the table's folder).
 *
 * <p>Defaults are librosa's ({@code melspectrogram}, {@code power_to_db}, {@code mfcc}) at 22,050 Hz. Keys in the JSON
 * form use librosa's parameter names so that people can set them side by side with a notebook.
 *
 * <p>{@code top_db} floors each value at (max − top_db) where librosa takes the max over <em>the whole array passed
 * in</em>; {@link #topDbUnit()} makes that choice explicit: {@link TopDbUnit#CLIP} takes it over the whole clip (what
 * {@code librosa.power_to_db(S)} on a file does), {@link TopDbUnit#SEGMENT} over each training segment.
 *
 * <p>Instances are immutable; build them with {@link #builder()} or {@link #parse(String)}.
 */
public final class FeatureSpec {
  /** Version of this spec's schema; part of the canonical form, so a change of meaning changes every id. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> KEYS = Set.of("spec_version", "kind", "sample_rate", "n_fft", "hop_length",
      "win_length", "window", "center", "pad_mode", "power", "n_mels", "fmin", "fmax", "mel_scale", "mel_norm",
      "db_ref", "db_amin", "top_db", "top_db_unit", "n_mfcc", "delta_order", "delta_width", "segment_seconds",
      "segment_hop_seconds");

  private final FeatureKind kind;
  private final int sampleRate;
  private final int nFft;
  private final int hopLength;
  private final int winLength;
  private final WindowFunction window;
  private final boolean center;
  private final PadMode padMode;
  private final double power;
  private final int nMels;
  private final double fmin;
  private final double fmax;
  private final MelScale melScale;
  private final boolean melNormSlaney;
  private final double dbRef;
  private final double dbAmin;
  private final Double topDb;
  private final TopDbUnit topDbUnit;
  private final int nMfcc;
  private final int deltaOrder;
  private final int deltaWidth;
  private final double segmentSeconds;
  private final double segmentHopSeconds;
  private final String canonicalJson;
  private final String id;

  private FeatureSpec(Builder b) {
    this.kind = b.kind;
    this.sampleRate = b.sampleRate;
    this.nFft = b.nFft;
    this.hopLength = b.hopLength;
    this.winLength = b.winLength == 0 ? b.nFft : b.winLength;
    this.window = b.window;
    this.center = b.center;
    this.padMode = b.padMode;
    // "+ 0.0" turns -0.0 into 0.0: a spec written with -0 is the same spec, with the same id, as one written with 0.
    this.power = b.power + 0.0;
    this.nMels = b.nMels;
    this.fmin = b.fmin + 0.0;
    this.fmax = (b.fmax == null ? b.sampleRate / 2.0 : b.fmax) + 0.0;
    this.melScale = b.melScale;
    this.melNormSlaney = b.melNormSlaney;
    this.dbRef = b.dbRef + 0.0;
    this.dbAmin = b.dbAmin + 0.0;
    this.topDb = b.topDb == null ? null : b.topDb + 0.0;
    this.topDbUnit = b.topDbUnit;
    this.nMfcc = b.nMfcc;
    this.deltaOrder = b.deltaOrder;
    this.deltaWidth = b.deltaWidth;
    this.segmentSeconds = b.segmentSeconds + 0.0;
    this.segmentHopSeconds = (b.segmentHopSeconds == null ? b.segmentSeconds : b.segmentHopSeconds) + 0.0;
    validate();
    this.canonicalJson = toCanonicalJson();
    this.id = Sha256.hex(canonicalJson);
  }

  private void validate() {
    check(sampleRate > 0, "Cannot build spec: sample_rate must be positive: %s", sampleRate);
    check(nFft >= 2 && nFft <= (1 << 20) && nFft % 2 == 0, "Cannot build spec: n_fft must be even and in [2, 2^20]: %s",
        nFft);
    check(hopLength > 0, "Cannot build spec: hop_length must be positive: %s", hopLength);
    check(winLength > 0 && winLength <= nFft, "Cannot build spec: win_length must be in [1, n_fft=%s]: %s", nFft,
        winLength);
    check(power == 1.0 || power == 2.0, "Cannot build spec: power must be 1 (magnitude) or 2 (power): %s", power);
    check(nMels > 0 && nMels <= nFft / 2 + 1 || kind == FeatureKind.STFT || kind == FeatureKind.STFT_DB,
        "Cannot build spec: n_mels must be in [1, n_fft/2+1=%s]: %s", nFft / 2 + 1, nMels);
    check(fmin >= 0 && fmin < fmax, "Cannot build spec: need 0 <= fmin < fmax: fmin=%s fmax=%s", fmin, fmax);
    check(fmax <= sampleRate / 2.0, "Cannot build spec: fmax %s is above the Nyquist frequency %s", fmax,
        sampleRate / 2.0);
    // Bounds keep amin² and ref² (amplitude_to_db squares them) normal and finite, the domain of Log10.
    check(dbRef >= 1e-150 && dbRef <= 1e150, "Cannot build spec: db_ref must be in [1e-150, 1e150]: %s", dbRef);
    check(dbAmin >= 1e-150 && dbAmin <= 1e150, "Cannot build spec: db_amin must be in [1e-150, 1e150]: %s", dbAmin);
    check(topDb == null || topDb >= 0, "Cannot build spec: top_db must be non-negative: %s", topDb);
    check(nMfcc > 0 && nMfcc <= nMels, "Cannot build spec: n_mfcc must be in [1, n_mels=%s]: %s", nMels, nMfcc);
    check(deltaOrder >= 0 && deltaOrder <= 2, "Cannot build spec: delta_order must be 0, 1 or 2: %s", deltaOrder);
    check(deltaWidth >= 3 && deltaWidth % 2 == 1, "Cannot build spec: delta_width must be odd and >= 3: %s",
        deltaWidth);
    check(segmentSeconds >= 0 && segmentSeconds <= MAX_SEGMENT_SECONDS,
        "Cannot build spec: segment_seconds must be in [0, %s] (0 = whole clip): %s", MAX_SEGMENT_SECONDS,
        segmentSeconds);
    check(segmentSeconds == 0 || segmentHopSeconds > 0 && segmentHopSeconds <= MAX_SEGMENT_SECONDS,
        "Cannot build spec: segment_hop_seconds must be in (0, %s]: %s", MAX_SEGMENT_SECONDS, segmentHopSeconds);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this spec's values, to derive a variant. Values that equal their derived default (win_length =
   * n_fft, fmax = Nyquist, segment hop = segment length) stay derived, so changing n_fft or the rate moves them too.
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.kind = kind;
    b.sampleRate = sampleRate;
    b.nFft = nFft;
    b.hopLength = hopLength;
    // Derived values stay derived, so that a variant with another n_fft / rate / segment keeps following them.
    b.winLength = winLength == nFft ? 0 : winLength;
    b.window = window;
    b.center = center;
    b.padMode = padMode;
    b.power = power;
    b.nMels = nMels;
    b.fmin = fmin;
    b.fmax = fmax == sampleRate / 2.0 ? null : fmax;
    b.melScale = melScale;
    b.melNormSlaney = melNormSlaney;
    b.dbRef = dbRef;
    b.dbAmin = dbAmin;
    b.topDb = topDb;
    b.topDbUnit = topDbUnit;
    b.nMfcc = nMfcc;
    b.deltaOrder = deltaOrder;
    b.deltaWidth = deltaWidth;
    b.segmentSeconds = segmentSeconds;
    b.segmentHopSeconds = segmentHopSeconds == segmentSeconds ? null : segmentHopSeconds;
    return b;
  }

  /** The librosa-default spec (22,050 Hz, n_fft 2048, hop 512, 128 Slaney mels, dB over the clip, 40 MFCC). */
  public static FeatureSpec defaults() {
    return builder().build();
  }

  /**
   * Parses a spec from JSON or HOCON text (missing keys take the defaults). Unknown keys and ill-typed values are
   * errors that name the key.
   */
  public static FeatureSpec parse(String text) {
    try {
      return fromConfig(io.timbre.util.Hocon.parseStandalone(text, "feature spec"), "spec");
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot parse feature spec: " + e.getMessage(), e);
    }
  }

  /** Longest segment (and segment hop) a spec may ask for: an hour, far above any model's input. */
  static final double MAX_SEGMENT_SECONDS = 3600;

  /** Reads a spec from a config object (a file's root or a {@code features { … }} block), naming {@code origin}. */
  public static FeatureSpec fromConfig(Config c, String origin) {
    return FeatureSpecParser.fromConfig(c, origin);
  }

  private String toCanonicalJson() {
    // Keys sorted, doubles in Java's shortest round-trip form: byte-identical for equal specs on every JVM.
    TreeMap<String, Object> m = new TreeMap<>();
    m.put("spec_version", SCHEMA_VERSION);
    m.put("kind", kind.id());
    m.put("sample_rate", sampleRate);
    m.put("n_fft", nFft);
    m.put("hop_length", hopLength);
    m.put("win_length", winLength);
    m.put("window", window.scipyName());
    m.put("center", center);
    m.put("pad_mode", padMode.id());
    m.put("power", power);
    m.put("n_mels", nMels);
    m.put("fmin", fmin);
    m.put("fmax", fmax);
    m.put("mel_scale", melScale.id());
    m.put("mel_norm", melNormSlaney ? "slaney" : "none");
    m.put("db_ref", dbRef);
    m.put("db_amin", dbAmin);
    m.put("top_db", topDb);
    m.put("top_db_unit", topDbUnit.id());
    m.put("n_mfcc", nMfcc);
    m.put("delta_order", deltaOrder);
    m.put("delta_width", deltaWidth);
    m.put("segment_seconds", segmentSeconds);
    m.put("segment_hop_seconds", segmentHopSeconds);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    m.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise spec", e);
    }
  }

  /** The canonical JSON form: sorted keys, every field present, no whitespace. Parses back to an equal spec. */
  public String toJson() {
    return canonicalJson;
  }

  /** {@link #toJson()} as a tree, for documents that embed the spec. */
  public ObjectNode toTree() {
    try {
      return (ObjectNode) new ObjectMapper().readTree(canonicalJson);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot re-read the canonical form of a spec", e);
    }
  }

  /** SHA-256 (hex) of {@link #toJson()}: the spec's identity, and the name of the table folder it writes. */
  public String id() {
    return id;
  }

  /** The first 12 hex digits of {@link #id()}, for logs and folder names people type. */
  public String shortId() {
    return id.substring(0, 12);
  }

  public FeatureKind kind() { return kind; }
  public int sampleRate() { return sampleRate; }
  public int nFft() { return nFft; }
  public int hopLength() { return hopLength; }
  public int winLength() { return winLength; }
  public WindowFunction window() { return window; }
  public boolean center() { return center; }
  public PadMode padMode() { return padMode; }
  public double power() { return power; }
  public int nMels() { return nMels; }
  public double fmin() { return fmin; }
  public double fmax() { return fmax; }
  public MelScale melScale() { return melScale; }
  public boolean melNormSlaney() { return melNormSlaney; }
  public double dbRef() { return dbRef; }
  public double dbAmin() { return dbAmin; }
  /** The dB floor below the maximum, or null for none. */
  public Double topDb() { return topDb; }
  public TopDbUnit topDbUnit() { return topDbUnit; }
  public int nMfcc() { return nMfcc; }
  public int deltaOrder() { return deltaOrder; }
  public int deltaWidth() { return deltaWidth; }
  /** Segment length in seconds for feature tables; 0 = one segment per clip. */
  public double segmentSeconds() { return segmentSeconds; }
  public double segmentHopSeconds() { return segmentHopSeconds; }

  /** Number of frequency bins of one STFT frame (n_fft/2 + 1). */
  public int nBins() {
    return nFft / 2 + 1;
  }

  /** Bins per output frame: the base representation's, times (1 + delta order). */
  public int outputBins() {
    int base = switch (kind) {
      case STFT, STFT_DB -> nBins();
      case LOGMEL -> nMels;
      case MFCC -> nMfcc;
    };
    return base * (1 + deltaOrder);
  }

  /** Frames an STFT of {@code samples} samples has under this spec. */
  public int frameCount(long samples) {
    if (center) {
      return (int) (1 + samples / hopLength);
    }
    return samples < nFft ? 0 : (int) (1 + (samples - nFft) / hopLength);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureSpec other && canonicalJson.equals(other.canonicalJson);
  }

  @Override
  public int hashCode() {
    return canonicalJson.hashCode();
  }

  @Override
  public String toString() {
    return "FeatureSpec" + canonicalJson;
  }

  /** Mutable builder; {@link #build()} validates and returns an immutable spec. */
  public static final class Builder {
    private FeatureKind kind = FeatureKind.LOGMEL;
    private int sampleRate = 22050;
    private int nFft = 2048;
    private int hopLength = 512;
    private int winLength = 0;
    private WindowFunction window = WindowFunction.HANN;
    private boolean center = true;
    private PadMode padMode = PadMode.CONSTANT;
    private double power = 2.0;
    private int nMels = 128;
    private double fmin = 0.0;
    private Double fmax = null;
    private MelScale melScale = MelScale.SLANEY;
    private boolean melNormSlaney = true;
    private double dbRef = 1.0;
    private double dbAmin = 1e-10;
    private Double topDb = 80.0;
    private TopDbUnit topDbUnit = TopDbUnit.CLIP;
    private int nMfcc = 40;
    private int deltaOrder = 0;
    private int deltaWidth = 9;
    private double segmentSeconds = 0.0;
    private Double segmentHopSeconds = null;

    private Builder() {}

    public Builder kind(FeatureKind v) { this.kind = Objects.requireNonNull(v, "kind"); return this; }
    public Builder sampleRate(int v) { this.sampleRate = v; return this; }
    public Builder nFft(int v) { this.nFft = v; return this; }
    public Builder hopLength(int v) { this.hopLength = v; return this; }
    /** Window length; 0 (the default) means n_fft. Shorter windows are zero-padded centred, as librosa does. */
    public Builder winLength(int v) { this.winLength = v; return this; }
    public Builder window(WindowFunction v) { this.window = Objects.requireNonNull(v, "window"); return this; }
    public Builder center(boolean v) { this.center = v; return this; }
    public Builder padMode(PadMode v) { this.padMode = Objects.requireNonNull(v, "padMode"); return this; }
    public Builder power(double v) { this.power = v; return this; }
    public Builder nMels(int v) { this.nMels = v; return this; }
    public Builder fmin(double v) { this.fmin = v; return this; }
    /** Upper mel edge in Hz; null (the default) means sample_rate / 2. */
    public Builder fmax(Double v) { this.fmax = v; return this; }
    public Builder melScale(MelScale v) { this.melScale = Objects.requireNonNull(v, "melScale"); return this; }
    public Builder melNormSlaney(boolean v) { this.melNormSlaney = v; return this; }

    /** "slaney" (area normalisation, librosa's default) or "none". */
    public Builder melNorm(String v) {
      check("slaney".equalsIgnoreCase(v) || "none".equalsIgnoreCase(v),
          "Cannot build spec: mel_norm must be 'slaney' or 'none': %s", v);
      this.melNormSlaney = "slaney".equalsIgnoreCase(v);
      return this;
    }

    public Builder dbRef(double v) { this.dbRef = v; return this; }
    public Builder dbAmin(double v) { this.dbAmin = v; return this; }
    /** Floor below the max in dB; null for no floor. */
    public Builder topDb(Double v) { this.topDb = v; return this; }
    public Builder topDbUnit(TopDbUnit v) { this.topDbUnit = Objects.requireNonNull(v, "topDbUnit"); return this; }
    public Builder nMfcc(int v) { this.nMfcc = v; return this; }
    public Builder deltaOrder(int v) { this.deltaOrder = v; return this; }
    public Builder deltaWidth(int v) { this.deltaWidth = v; return this; }
    public Builder segmentSeconds(double v) { this.segmentSeconds = v; return this; }
    /** Hop between segments; null (the default) means equal to the segment length (no overlap). */
    public Builder segmentHopSeconds(Double v) { this.segmentHopSeconds = v; return this; }

    public FeatureSpec build() {
      return new FeatureSpec(this);
    }
  }
}
