package org.ntsim.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * A process's VAD tree (VadRoot): the reserved regions of its user address space in a balanced
 * (AVL) binary tree ordered by starting page, as NT keeps them.
 *
 * <p>Invariants: in-order traversal gives the regions by address with no overlap; every node's
 * height is one more than its taller child's, and the children's heights differ by at most one.
 * Checked by {@link #verify()}.
 *
 * <p>Left out: NT's hint pointer (the last VAD found) and its free-space bitmaps.
 */
public final class VadTree {
  private Vad root;
  private int count;

  public Vad root() {
    return root;
  }

  public int count() {
    return count;
  }

  /** MiLocateAddress: the region containing page {@code vpn}, or null. */
  public Vad find(long vpn) {
    Vad n = root;
    while (n != null) {
      if (vpn < n.startingVpn) {
        n = n.left;
      } else if (vpn > n.endingVpn) {
        n = n.right;
      } else {
        return n;
      }
    }
    return null;
  }

  /** The first region that ends at or after {@code vpn}, or null. */
  public Vad firstEndingAtOrAfter(long vpn) {
    Vad n = root;
    Vad best = null;
    while (n != null) {
      if (n.endingVpn >= vpn) {
        best = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
    return best;
  }

  /** Every region, by address. */
  public List<Vad> inOrder() {
    List<Vad> out = new ArrayList<>(count);
    collect(root, out);
    return out;
  }

  private static void collect(Vad n, List<Vad> out) {
    if (n != null) {
      collect(n.left, out);
      out.add(n);
      collect(n.right, out);
    }
  }

  /** Whether any region overlaps pages {@code startVpn..endVpn}. */
  public boolean overlaps(long startVpn, long endVpn) {
    Vad v = firstEndingAtOrAfter(startVpn);
    return v != null && v.startingVpn <= endVpn;
  }

  /** MiInsertVad: adds a region that overlaps none. */
  void insert(Vad v) {
    if (root == null) {
      root = v;
      count = 1;
      return;
    }
    Vad n = root;
    while (true) {
      if (v.startingVpn < n.startingVpn) {
        if (n.left == null) {
          n.left = v;
          break;
        }
        n = n.left;
      } else {
        if (n.right == null) {
          n.right = v;
          break;
        }
        n = n.right;
      }
    }
    v.parent = n;
    count++;
    rebalanceFrom(n);
  }

  /** MiRemoveVad. */
  void remove(Vad v) {
    Vad rebalanceAt;
    if (v.left != null && v.right != null) {
      Vad s = v.right;
      while (s.left != null) {
        s = s.left;
      }
      rebalanceAt = s.parent == v ? s : s.parent;
      if (s.parent != v) {
        replace(s, s.right);
        s.right = v.right;
        s.right.parent = s;
      }
      replace(v, s);
      s.left = v.left;
      s.left.parent = s;
    } else {
      Vad child = v.left != null ? v.left : v.right;
      rebalanceAt = v.parent;
      replace(v, child);
    }
    v.left = v.right = v.parent = null;
    v.height = 1;
    count--;
    rebalanceFrom(rebalanceAt);
  }

  private void replace(Vad old, Vad by) {
    Vad p = old.parent;
    if (p == null) {
      root = by;
    } else if (p.left == old) {
      p.left = by;
    } else {
      p.right = by;
    }
    if (by != null) {
      by.parent = p;
    }
  }

  private static int h(Vad n) {
    return n == null ? 0 : n.height;
  }

  private static void update(Vad n) {
    n.height = 1 + Math.max(h(n.left), h(n.right));
  }

  private void rebalanceFrom(Vad n) {
    while (n != null) {
      update(n);
      int balance = h(n.left) - h(n.right);
      if (balance > 1) {
        if (h(n.left.left) < h(n.left.right)) {
          rotateLeft(n.left);
        }
        n = rotateRight(n);
      } else if (balance < -1) {
        if (h(n.right.right) < h(n.right.left)) {
          rotateRight(n.right);
        }
        n = rotateLeft(n);
      }
      n = n.parent;
    }
  }

  private Vad rotateLeft(Vad x) {
    Vad y = x.right;
    replace(x, y);
    x.right = y.left;
    if (x.right != null) {
      x.right.parent = x;
    }
    y.left = x;
    x.parent = y;
    update(x);
    update(y);
    return y;
  }

  private Vad rotateRight(Vad x) {
    Vad y = x.left;
    replace(x, y);
    x.left = y.right;
    if (x.left != null) {
      x.left.parent = x;
    }
    y.right = x;
    x.parent = y;
    update(x);
    update(y);
    return y;
  }

  /** Checks order, links, heights and balance; throws on the first fault. */
  public void verify() {
    int[] seen = new int[1];
    verify(root, null, Long.MIN_VALUE, Long.MAX_VALUE, seen);
    PfnDatabase.check(seen[0] == count, "the VAD tree holds %d regions but counts %d", seen[0],
        count);
  }

  private static int verify(Vad n, Vad parent, long low, long high, int[] seen) {
    if (n == null) {
      return 0;
    }
    PfnDatabase.check(n.parent == parent, "VAD %x has a wrong parent link", n.startingVpn);
    PfnDatabase.check(n.startingVpn > low && n.endingVpn < high
        && n.startingVpn <= n.endingVpn, "VAD %x-%x is out of order", n.startingVpn, n.endingVpn);
    seen[0]++;
    int l = verify(n.left, n, low, n.startingVpn, seen);
    int r = verify(n.right, n, n.endingVpn, high, seen);
    PfnDatabase.check(Math.abs(l - r) <= 1, "VAD tree unbalanced at %x", n.startingVpn);
    PfnDatabase.check(n.height == 1 + Math.max(l, r), "VAD %x has a wrong height", n.startingVpn);
    return n.height;
  }
}
