package io.timbre.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one hash of every id and fingerprint Timbre writes (spec ids, input fingerprints, clip digests). */
public final class Sha256 {
  private Sha256() {}

  /** A fresh digest for streaming input; every Java SE runtime has SHA-256, so its absence is a broken JVM. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Lower-case hex of the digest of the bytes. */
  public static String hex(byte[] bytes) {
    return hexOf(newDigest().digest(bytes));
  }

  /** Lower-case hex of the digest of the string's UTF-8 bytes. */
  public static String hex(String text) {
    return hexOf(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Lower-case hex of a finished digest. */
  public static String hexOf(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
