package io.timbre.audio;

import java.io.IOException;

/**
 * A file that is not audio Timbre can decode, with the file and the reason named.
 *
 * <p>Ingest turns this into one quarantine row (path, stage, reason) and carries on, so the reason is a closed set
 * that jobs can count and users can act on; the message says exactly what was wrong with which file. Decoders throw
 * only this (or a plain {@link IOException} when the underlying stream itself fails), never an
 * {@code ArrayIndexOutOfBoundsException} or an {@code OutOfMemoryError} for hostile input.
 */
public final class AudioFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why a file was refused. */
  public enum Reason {
    /** Not a RIFF/WAVE file at all (wrong magic, RIFX, RF64, an MP3 with a .wav name, an empty file). */
    NOT_WAVE("not a RIFF/WAVE file"),
    /** The header is inconsistent or claims absurd sizes (no fmt chunk, zero channels, block align mismatch, …). */
    MALFORMED_HEADER("malformed WAV header"),
    /** A valid WAVE file in an encoding Timbre does not decode (ADPCM, MP3-in-WAV, 12-bit PCM, …). */
    UNSUPPORTED_ENCODING("unsupported encoding"),
    /** The file ends before the chunk or the sample data it announces. */
    TRUNCATED("truncated"),
    /** The data chunk holds no complete sample frame. */
    NO_AUDIO("no audio frames"),
    /** Float samples that are NaN or infinite: features computed from them would be meaningless. */
    INVALID_SAMPLES("invalid sample values");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /** A short human description of the reason, used in messages. */
    public String description() {
      return description;
    }
  }

  private final String source;
  private final Reason reason;

  public AudioFileException(String source, Reason reason, String detail) {
    this(source, reason, detail, null);
  }

  public AudioFileException(String source, Reason reason, String detail, Throwable cause) {
    super(source + ": " + reason.description() + ": " + detail, cause);
    this.source = source;
    this.reason = reason;
  }

  /** The file (path or URI) the problem is in. */
  public String source() {
    return source;
  }

  public Reason reason() {
    return reason;
  }
}
