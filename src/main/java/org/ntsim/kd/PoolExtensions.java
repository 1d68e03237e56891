package org.ntsim.kd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolTag;
import org.ntsim.ex.PoolType;
import org.ntsim.ob.ObjectHeader;

/**
 * {@code !pool} and {@code !poolused}: the executive's pools as kdexts prints them on an x86
 * target.
 *
 * <p>Models: {@code !pool <address> [flags]} prints the region, then every block of the page
 * holding the address (header fields: address, size, previous size, allocated or free, tag,
 * "(Protected)"), the block holding the address marked with '*' and followed by the tag's owner
 * from ntsim's own pooltag list; a page of a large allocation prints that allocation instead.
 * Flag 0x2 keeps only the marked block, 0x80000000 drops the owner line. One {@code ntsim:} line
 * names the object whose body the marked block holds, if any. {@code !poolused [flags [tag]]}
 * prints, per tag, outstanding allocations and bytes in non-paged and paged pool (flag 0x1 adds
 * allocations, frees and their difference; 0x2 and 0x4 sort by non-paged or paged bytes, largest
 * first; a tag with '*' and '?' wildcards filters), then the totals.
 *
 * <p>Left out: pool contents (flag 0x1 of {@code !pool}: no bytes exist yet), the session pool
 * (flag 0x8 of {@code !poolused}), and pooltag.txt beyond the tags ntsim itself uses.
 */
final class PoolExtensions {
  private static final int SHOW_ONLY_MARKED = 0x2;
  private static final int NO_DESCRIPTION = 0x80000000;
  private static final int VERBOSE = 0x1;
  private static final int SORT_NONPAGED = 0x2;
  private static final int SORT_PAGED = 0x4;
  private static final int SESSION = 0x8;

  /** ntsim's pooltag list: the owners of the tags the kernel and executive use. */
  private static final Map<String, String> OWNERS = Map.ofEntries(
      Map.entry("Proc", "Process objects, Binary : nt!ps"),
      Map.entry("Thre", "Thread objects, Binary : nt!ps"),
      Map.entry("Even", "Event objects, Binary : nt!ex"),
      Map.entry("Muta", "Mutant objects, Binary : nt!ex"),
      Map.entry("Sema", "Semaphore objects, Binary : nt!ex"),
      Map.entry("Time", "Timer objects, Binary : nt!ex"),
      Map.entry("Dire", "Directory objects, Binary : nt!ob"),
      Map.entry("Symb", "Symbolic link objects, Binary : nt!ob"),
      Map.entry("ObjT", "Object type objects, Binary : nt!ob"),
      Map.entry("Apc ", "KAPC of a user APC queued by NtQueueApcThread, Binary : nt!ps"),
      Map.entry("Vad ", "Mm virtual address descriptors, Binary : nt!mm"),
      Map.entry("None", "Allocations made with ExAllocatePool (no tag), Binary : <unknown>"));

  private final KdTarget target;

  PoolExtensions(KdTarget target) {
    this.target = target;
  }

  /** Registers {@code !pool} and {@code !poolused}. */
  static void register(KdCommands table) {
    PoolExtensions e = new PoolExtensions(table.target());
    table.register("!pool", "!pool <address> [<flags>]", "the pool page holding <address>: each "
        + "block's header, <address>'s marked; flags 2 only its block", e::pool);
    table.register("!poolused", "!poolused [<flags> [<tag>]]", "pool use per tag, non-paged and "
        + "paged; flags 1 allocations and frees, 2 sort by non-paged, 4 by paged bytes; <tag> "
        + "may use * and ?", e::poolused);
    table.example("!pool", "!pool 84001020");
    table.example("!poolused", "!poolused 2 Thre");
  }

  private Pool pool() {
    return target.os.pool;
  }

  // ------------------------------------------------------------------ !pool

  /** {@code !pool <address> [flags]}. */
  void pool(Listing out, List<String> args) {
    if (args.isEmpty()) {
      throw new KdError("Usage: !pool <address> [flags]   (ntsim: the process heap, address 0 or"
          + " omitted, is not modelled)");
    }
    long address = KdFormat.address(args.get(0));
    long flags = args.size() > 1 ? KdFormat.number(args.get(1)) & 0xFFFFFFFFL : 0;
    Pool.PoolPage page = pool().page(address);
    if (page == null) {
      out.format("Pool page %s region is Unknown", KdFormat.hex8(address));
      out.format("%s is not a valid pool address: ntsim's pools are %s-%s (Nonpaged) and"
          + " %s-%s (Paged)", KdFormat.hex8(address), range(PoolType.NonPagedPool),
          rangeLast(PoolType.NonPagedPool), range(PoolType.PagedPool),
          rangeLast(PoolType.PagedPool));
      return;
    }
    out.format("Pool page %s region is %s", KdFormat.hex8(address), page.type().regionName);
    switch (page.kind()) {
      case SMALL_BLOCKS -> blocks(out, page, address, flags);
      case LARGE -> {
        out.format("*%s : large page allocation, tag is %s, size is 0x%x bytes",
            KdFormat.hex8(page.largeAddress()), PoolTag.text(page.largeTag()),
            page.largeBytes());
        owner(out, page.largeTag(), flags);
        objectNote(out, page.largeAddress(), page.largeTag());
      }
      case FREE -> {
        out.format("%s is freed (or corrupt) pool", KdFormat.hex8(address));
        out.line("ntsim: the page holds no allocation");
      }
    }
    if ((flags & 0x1) != 0) {
      out.line("ntsim: pool contents are not modelled; only the headers exist");
    }
  }

  private void blocks(Listing out, Pool.PoolPage page, long address, long flags) {
    for (Pool.PoolBlock b : page.blocks()) {
      boolean marked = b.contains(address);
      if (!marked && (flags & SHOW_ONLY_MARKED) != 0) {
        continue;
      }
      String tag = b.tag() == 0 && !b.allocated() ? "    " : PoolTag.text(b.tag());
      out.line(String.format(Locale.ROOT, "%c%s size: %4x previous size: %4x  %-11s %c%s%s",
          marked ? '*' : ' ', KdFormat.hex8(b.address()), b.sizeBytes(), b.previousSizeBytes(),
          b.allocated() ? "(Allocated)" : "(Free)", marked ? '*' : ' ', tag,
          b.allocated() && PoolTag.isProtected(b.tag()) ? " (Protected)" : "").stripTrailing());
      if (marked && b.allocated()) {
        owner(out, b.tag(), flags);
        objectNote(out, b.address() + 8, b.tag());
      }
    }
  }

  private static void owner(Listing out, int tag, long flags) {
    if ((flags & NO_DESCRIPTION) != 0) {
      return;
    }
    String text = PoolTag.text(tag);
    String owner = OWNERS.get(text);
    out.line(owner != null ? "\t\tPooltag " + text + " : " + owner
        : "\t\tOwning component : Unknown (update pooltag.txt)");
  }

  /** The object whose headers start at {@code allocation}, if a protected block holds one. */
  private void objectNote(Listing out, long allocation, int tag) {
    if (!PoolTag.isProtected(tag)) {
      return;
    }
    long[] bodies = {allocation + ObjectHeader.BYTES,
        allocation + ObjectHeader.NAME_INFO_BYTES + ObjectHeader.BYTES};
    for (long body : bodies) {
      Object o = target.objectAt(body);
      if (o != null) {
        out.format("ntsim: the object body at %s (!object %s)", KdFormat.hex8(body),
            KdFormat.hex8(body));
        return;
      }
    }
  }

  private static String range(PoolType type) {
    return KdFormat.hex8(Pool.rangeStart(type));
  }

  private static String rangeLast(PoolType type) {
    return KdFormat.hex8(Pool.rangeEnd(type) - 1);
  }

  // ------------------------------------------------------------------ !poolused

  /** {@code !poolused [flags [tag]]}. */
  void poolused(Listing out, List<String> args) {
    int flags = args.isEmpty() ? 0 : KdFormat.flags(args.get(0));
    if ((flags & SORT_NONPAGED) != 0 && (flags & SORT_PAGED) != 0) {
      throw new KdError("!poolused: flags 2 and 4 cannot be used together");
    }
    if ((flags & SESSION) != 0) {
      throw new KdError("ntsim: session pool is not modelled");
    }
    String pattern = args.size() > 1 ? args.get(1) : null;
    if (pattern != null && !pattern.contains("*") && pattern.length() != 4) {
      throw new KdError("!poolused: the tag must be four characters unless it contains '*'");
    }
    boolean verbose = (flags & VERBOSE) != 0;
    List<Pool.TagUsage> rows = new ArrayList<>();
    for (Pool.TagUsage u : pool().usage()) {
      if ((pattern == null || matches(pattern, u.text())) && shown(u, verbose)) {
        rows.add(u);
      }
    }
    rows.sort(order(flags));
    out.format("   Sorting by  %s", (flags & SORT_NONPAGED) != 0 ? "NonPaged Pool Consumed"
        : (flags & SORT_PAGED) != 0 ? "Paged Pool Consumed" : "Tag");
    out.blank();
    out.line("  Pool Used:");
    if (verbose) {
      out.line("            NonPaged                           Paged");
      out.line(" Tag    Allocs    Frees     Diff     Used   Allocs    Frees     Diff     Used");
    } else {
      out.line("            NonPaged            Paged");
      out.line(" Tag    Allocs     Used    Allocs     Used");
    }
    long[] total = new long[8];
    for (Pool.TagUsage u : rows) {
      long[] c = {u.nonPagedAllocs(), u.nonPagedFrees(), u.nonPagedAllocs() - u.nonPagedFrees(),
          u.nonPagedBytes(), u.pagedAllocs(), u.pagedFrees(), u.pagedAllocs() - u.pagedFrees(),
          u.pagedBytes()};
      for (int i = 0; i < c.length; i++) {
        total[i] += c[i];
      }
      out.line(row(u.text(), c, verbose) + "\t" + description(u.text()));
    }
    out.line(row("TOTAL", total, verbose));
  }

  /** One line of counters; a tag longer than four characters (TOTAL) eats into the first. */
  private static String row(String tag, long[] c, boolean verbose) {
    int first = 9 - Math.max(0, tag.length() - 4);
    if (verbose) {
      return String.format(Locale.ROOT, " %-4s%" + first + "d%9d%9d%9d%9d%9d%9d%9d", tag, c[0],
          c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
    }
    return String.format(Locale.ROOT, " %-4s%" + first + "d%9d%10d%9d", tag, c[2], c[3], c[6],
        c[7]);
  }

  /** Without flag 0x1 a tag shows while it has outstanding allocations; with it, once used. */
  private static boolean shown(Pool.TagUsage u, boolean verbose) {
    if (verbose) {
      return u.nonPagedAllocs() + u.pagedAllocs() > 0;
    }
    return u.nonPagedAllocs() > u.nonPagedFrees() || u.pagedAllocs() > u.pagedFrees();
  }

  private static Comparator<Pool.TagUsage> order(int flags) {
    Comparator<Pool.TagUsage> byTag = Comparator.comparing(Pool.TagUsage::text);
    if ((flags & SORT_NONPAGED) != 0) {
      return Comparator.comparingLong(Pool.TagUsage::nonPagedBytes).reversed().thenComparing(
          byTag);
    }
    if ((flags & SORT_PAGED) != 0) {
      return Comparator.comparingLong(Pool.TagUsage::pagedBytes).reversed().thenComparing(byTag);
    }
    return byTag;
  }

  private static String description(String tag) {
    String owner = OWNERS.get(tag);
    return owner != null ? owner : "UNKNOWN pooltag '" + tag + "', please update pooltag.txt";
  }

  /** A case-sensitive match of a four-character tag against '*' and '?' wildcards. */
  static boolean matches(String pattern, String tag) {
    return matches(pattern, 0, tag, 0);
  }

  private static boolean matches(String p, int i, String t, int j) {
    if (i == p.length()) {
      return j == t.length();
    }
    char c = p.charAt(i);
    if (c == '*') {
      for (int k = j; k <= t.length(); k++) {
        if (matches(p, i + 1, t, k)) {
          return true;
        }
      }
      return false;
    }
    return j < t.length() && (c == '?' || c == t.charAt(j)) && matches(p, i + 1, t, j + 1);
  }
}
