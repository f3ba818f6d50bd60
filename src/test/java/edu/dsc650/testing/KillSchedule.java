package edu.dsc650.testing;

import java.util.Random;

/**
 * Seeded random kill instants, so that a failing kill point can be replayed: the seed is printed,
 * and {@code -Dfaults.seed=<seed>} (Maven: {@code mvn verify -Dfaults.seed=<seed>}) repeats it.
 */
public final class KillSchedule {
  private final long seed;
  private final Random random;

  public KillSchedule(String suite) {
    String property = System.getProperty("faults.seed", "");
    this.seed = property.isBlank() ? System.nanoTime() : Long.parseLong(property.trim());
    this.random = new Random(seed);
    System.out.printf("%s: fault seed %d (replay with -Dfaults.seed=%d)%n", suite, seed, seed);
  }

  private KillSchedule(long seed, Random random) {
    this.seed = seed;
    this.random = random;
  }

  /**
   * The schedule of part {@code i} of a suite whose parts run side by side: its own sequence, which
   * the suite's seed repeats whatever order the parts run in.
   */
  public KillSchedule part(int i) {
    return new KillSchedule(seed, new Random(seed * 31 + i));
  }

  public long seed() {
    return seed;
  }

  /** A delay in milliseconds, uniform in [fromMillis, toMillis). */
  public long millisBetween(long fromMillis, long toMillis) {
    return fromMillis + (long) (random.nextDouble() * (toMillis - fromMillis));
  }

  public boolean nextBoolean() {
    return random.nextBoolean();
  }

  /** How many kill points a suite tries: {@code -Dfaults.<name>=n}, else {@code defaultCount}. */
  public static int count(String name, int defaultCount) {
    String property = System.getProperty("faults." + name, "");
    return property.isBlank() ? defaultCount : Integer.parseInt(property.trim());
  }
}
