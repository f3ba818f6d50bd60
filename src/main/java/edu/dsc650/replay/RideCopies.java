package edu.dsc650.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names of the copies of a ride that {@code --scale N} replays. Copy 0 is the ride itself; copy
 * k > 0 of a key (a {@code uuid} or {@code ride_id}) is the first 128 bits of SHA-256 over the key
 * and k, as 32 lowercase hex digits: the same for every run, one per key and copy. Two different
 * keys or copies collide only if 128 bits of SHA-256 do: odds below 10^-26 for a million copies.
 */
public final class RideCopies {
  private RideCopies() {}

  /** The key of copy {@code copy} of the ride key {@code key}; {@code key} itself for copy 0. */
  public static String key(String key, int copy) {
    if (copy < 0) {
      throw new IllegalArgumentException("copy " + copy);
    }
    if (copy == 0) {
      return key;
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    // the copy number first and a separator: "ab" copy 12 and "ab1" copy 2 hash different bytes
    byte[] digest =
        sha.digest(("dsc650-copy-" + copy + ":" + key).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest, 0, 16);
  }
}
