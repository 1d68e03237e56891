package org.ntsim.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Prng;

/** The VAD tree: lookups, and AVL order and balance after every insert and removal. */
class VadTreeTest {
  @Test
  void randomInsertsAndRemovesKeepTheTreeOrderedAndBalanced() {
    Prng r = new Prng(42);
    VadTree tree = new VadTree();
    List<Vad> live = new ArrayList<>();
    for (int step = 0; step < 3000; step++) {
      if (live.isEmpty() || r.nextInt(3) != 0) {
        long start = 0x10 * (1 + r.nextInt(20_000));
        long end = start + r.nextInt(15);
        if (!tree.overlaps(start, end)) {
          Vad v = new Vad(start, end, MmPte.MM_READWRITE, false, false, false);
          tree.insert(v);
          live.add(v);
        }
      } else {
        Vad v = live.remove(r.nextInt(live.size()));
        tree.remove(v);
      }
      tree.verify();
      assertThat(tree.count()).isEqualTo(live.size());
    }
    for (Vad v : live) {
      assertThat(tree.find(v.startingVpn())).isSameAs(v);
      assertThat(tree.find(v.endingVpn())).isSameAs(v);
    }
    List<Vad> ordered = tree.inOrder();
    for (int i = 1; i < ordered.size(); i++) {
      assertThat(ordered.get(i).startingVpn()).isGreaterThan(ordered.get(i - 1).endingVpn());
    }
    int height = tree.root() == null ? 0 : tree.root().height;
    assertThat(height).isLessThanOrEqualTo((int) Math.ceil(1.45 * Math.log(live.size() + 2)
        / Math.log(2)));
  }

  @Test
  void firstEndingAtOrAfterFindsTheNextRegion() {
    VadTree tree = new VadTree();
    tree.insert(new Vad(0x10, 0x1f, 4, false, false, false));
    tree.insert(new Vad(0x40, 0x4f, 4, false, false, false));
    assertThat(tree.firstEndingAtOrAfter(0x20).startingVpn()).isEqualTo(0x40);
    assertThat(tree.firstEndingAtOrAfter(0x15).startingVpn()).isEqualTo(0x10);
    assertThat(tree.firstEndingAtOrAfter(0x50)).isNull();
    assertThat(tree.find(0x30)).isNull();
  }
}
