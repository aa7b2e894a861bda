package io.timbre.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the WAV parser (Jazzer). The only acceptable failure is the parser's own typed
 * {@link AudioFileException}: anything else — an index error, a negative array size, an OutOfMemoryError from an
 * untrusted size, a hang — is a finding and fails the build.
 *
 * <p>In the normal build the Maven {@code fuzz} execution runs it in fuzzing mode ({@code JAZZER_FUZZ=1}) for a
 * bounded number of inputs ({@code -Dtimbre.fuzz.runs}, default 1,000,000); seeds are the valid files under
 * {@code src/test/resources/io/timbre/audio/WavReaderFuzzTestInputs}. A longer campaign:
 * {@code mvn -pl pipeline test-compile surefire:test@fuzz -Dtimbre.fuzz.runs=50000000} (findings land in
 * {@code pipeline/} as {@code crash-*} files; move them under the inputs folder to keep them as regression tests).
 */
class WavReaderFuzzTest {
  // The run count comes from the build (-runs=${timbre.fuzz.runs}); the duration is only a backstop for long campaigns.
  @FuzzTest(maxDuration = "12h")
  void parsesAnyBytesOrRefusesThemWithATypedError(byte[] data) throws IOException {
    // Alternate between a known length (local files) and an unknown one (streams), which take different paths.
    long known = (data.length & 1) == 0 ? data.length : -1;
    try (WavReader reader = WavReader.open(new ByteArrayInputStream(data), "fuzz.wav", known)) {
      float[] mono = new float[333];
      float[] interleaved = new float[333 * reader.format().channels()];
      boolean interleavedTurn = data.length % 3 == 0;
      while (true) {
        int n = interleavedTurn ? reader.read(interleaved, 0, 333) : reader.readMono(mono, 0, 333);
        if (n < 0) {
          break;
        }
        interleavedTurn = !interleavedTurn;
      }
    } catch (AudioFileException expected) {
      if (expected.source() == null || expected.reason() == null || expected.getMessage() == null) {
        throw new AssertionError("typed error without source/reason/message", expected);
      }
    }
  }
}
