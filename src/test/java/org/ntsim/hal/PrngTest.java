package org.ntsim.hal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The machine's only random source and its named streams (STYLE.md, "one random generator"). */
class PrngTest {

  private static long[] draw(Prng p, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = p.nextLong();
    }
    return out;
  }

  @Property(tries = 100)
  void sameSeedGivesTheSameSequence(@ForAll long seed) {
    assertThat(draw(new Prng(seed), 16)).isEqualTo(draw(new Prng(seed), 16));
  }

  @Property(tries = 100)
  void aSplitStreamDependsOnlyOnTheSeedAndItsName(@ForAll long seed,
      @ForAll @AlphaChars @StringLength(min = 1, max = 12) String name,
      @ForAll @IntRange(max = 50) int drawsBefore) {
    Prng fresh = new Prng(seed);
    Prng used = new Prng(seed);
    draw(used, drawsBefore);
    used.split("other").nextLong();

    assertThat(draw(used.split(name), 8)).isEqualTo(draw(fresh.split(name), 8));
  }

  @Property(tries = 100)
  void drawsFromOneStreamDoNotShiftAnother(@ForAll long seed, @ForAll @IntRange(max = 50) int n) {
    Prng root = new Prng(seed);
    Prng disk = root.split("disk");
    Prng net = root.split("net");
    long[] netAlone = draw(new Prng(seed).split("net"), 8);
    draw(disk, n);
    draw(root, n);

    assertThat(draw(net, 8)).isEqualTo(netAlone);
  }

  @Test
  void differentNamesAndSeedsGiveDifferentStreams() {
    Prng root = new Prng(1);
    assertThat(draw(root.split("disk"), 4)).isNotEqualTo(draw(root.split("net"), 4));
    assertThat(draw(new Prng(1).split("disk"), 4)).isNotEqualTo(draw(new Prng(2).split("disk"), 4));
    assertThat(draw(root.split("disk"), 4)).isNotEqualTo(draw(new Prng(1), 4));
  }

  @Property(tries = 100)
  void boundedDrawsStayInRange(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1000) int bound,
      @ForAll @IntRange(min = -500, max = 500) int lo) {
    Prng p = new Prng(seed);
    for (int i = 0; i < 20; i++) {
      assertThat(p.nextInt(bound)).isBetween(0, bound - 1);
      assertThat(p.nextLong(lo, lo + bound)).isBetween((long) lo, (long) lo + bound);
    }
  }
}
