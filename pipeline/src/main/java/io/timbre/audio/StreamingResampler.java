package io.timbre.audio;

import java.util.Arrays;

/**
 * {@link Resampler} over a stream: feed input blocks as they are decoded, take output as soon as each sample's kernel
 * has all its input, {@link #finish} at the end. Holds only the kernel's span of input (a few hundred samples), so an
 * hour-long file resamples in constant memory; the output is identical to {@link Resampler#resample} of the whole
 * signal.
 */
public final class StreamingResampler {
  /** Receives output samples in order. */
  @FunctionalInterface
  public interface Sink {
    void accept(float[] samples, int offset, int length);
  }

  private final Resampler r;
  private final Sink sink;
  private float[] buf = new float[1 << 14];
  private long bufStart;
  private int bufLen;
  private long nextOut;
  private long inputSeen;
  private final float[] outBlock = new float[4096];
  private int outLen;
  private boolean finished;

  public StreamingResampler(Resampler resampler, Sink sink) {
    this.r = resampler;
    this.sink = sink;
  }

  /** Feeds {@code length} input samples. */
  public void feed(float[] in, int offset, int length) {
    if (finished) {
      throw new IllegalStateException("Cannot feed a finished resampler");
    }
    if (r.inRate() == r.outRate()) {
      sink.accept(in, offset, length);
      inputSeen += length;
      return;
    }
    ensureCapacity(bufLen + length);
    System.arraycopy(in, offset, buf, bufLen, length);
    bufLen += length;
    inputSeen += length;
    Decimator d = r.decimator();
    if (d != null) {
      // Whole blocks, once all the input a block reads has been seen.
      while (d.endInput(nextOut) <= inputSeen) {
        emitBlock(d, Long.MAX_VALUE, d.block());
      }
    } else {
      // Emit every output whose kernel lies within what has been seen (samples beyond are not yet known).
      while (r.lastInputOf(nextOut) < inputSeen) {
        emit(r.output(nextOut, buf, bufStart, Long.MAX_VALUE));
        nextOut++;
      }
    }
    compact();
  }

  /** Flushes the outputs that reach past the end of the input (zeros there), up to ceil(n·fout/fin) in all. */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (r.inRate() != r.outRate()) {
      long total = r.outputLength(inputSeen);
      Decimator d = r.decimator();
      while (nextOut < total) {
        if (d != null) {
          emitBlock(d, inputSeen, (int) Math.min(d.block(), total - nextOut));
        } else {
          emit(r.output(nextOut, buf, bufStart, inputSeen));
          nextOut++;
        }
      }
    }
    flush();
  }

  /** Output samples produced so far. */
  public long outputCount() {
    return r.inRate() == r.outRate() ? inputSeen : nextOut;
  }

  private float[] blockOut;

  private void emitBlock(Decimator d, long end, int count) {
    if (blockOut == null) {
      blockOut = new float[d.block()];
    }
    flush();
    d.compute(nextOut, buf, bufStart, Math.min(end, inputSeen), blockOut, 0, count);
    sink.accept(blockOut, 0, count);
    nextOut += count;
  }

  private void emit(float v) {
    outBlock[outLen++] = v;
    if (outLen == outBlock.length) {
      flush();
    }
  }

  private void flush() {
    if (outLen > 0) {
      sink.accept(outBlock, 0, outLen);
      outLen = 0;
    }
  }

  /** Drops input no future output reads. */
  private void compact() {
    Decimator d = r.decimator();
    long keepFrom = Math.max(0, d != null ? d.firstInput(nextOut) : r.firstInputOf(nextOut));
    int drop = (int) Math.min(bufLen, Math.max(0, keepFrom - bufStart));
    if (drop > buf.length / 2) {
      System.arraycopy(buf, drop, buf, 0, bufLen - drop);
      bufLen -= drop;
      bufStart += drop;
    }
  }

  private void ensureCapacity(int n) {
    if (n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
    }
  }
}
