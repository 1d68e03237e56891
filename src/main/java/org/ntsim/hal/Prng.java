package org.ntsim.hal;

/**
 * The machine's only source of randomness: a seeded SplitMix64 generator.
 *
 * <p>Subsystems take their own stream with {@link #split(String)}, derived from the root seed
 * and the stream's name only, so that a new draw in one subsystem never shifts the sequence
 * another one sees.
 */
public final class Prng {
  private final long seed;
  private long state;

  public Prng(long seed) {
    this.seed = seed;
    this.state = seed;
  }

  public long seed() {
    return seed;
  }

  /** An independent stream named {@code name}, fixed by this generator's seed and the name. */
  public Prng split(String name) {
    long h = seed ^ 0x6A09E667F3BCC909L;
    for (int i = 0; i < name.length(); i++) {
      h = mix(h ^ name.charAt(i));
    }
    return new Prng(h);
  }

  public long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /** Uniform in [lo, hi]. */
  public long nextLong(long lo, long hi) {
    return lo + Long.remainderUnsigned(nextLong(), hi - lo + 1);
  }

  public boolean nextBoolean() {
    return (nextLong() & 1) != 0;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
