package org.ntsim.ob;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full sweeps of the object manager's structures, for tests and the fuzzer: the namespace
 * (every entry names a live object that knows its directory), and the counts (every handle
 * refers to a live object, and an object's handle count is the number of handles to it, never
 * more than its pointer count: OBJECT_HEADER's invariant).
 */
final class ObjectVerifier {
  private ObjectVerifier() {}

  /**
   * Checks every handle against its object: the object is alive, and its handle count is the
   * number of handles to it in {@code tables} (which must be every table in use: the processes'
   * and the System process's, which holds the kernel handles), never more than its pointer
   * count. Throws IllegalStateException naming the first object that disagrees.
   */
  static void handleCounts(Iterable<HandleTable> tables) {
    Map<ObjectHeader, Long> counted = new LinkedHashMap<>(); // identity keys
    for (HandleTable table : tables) {
      table.verify();
      for (long handle : table.handles()) {
        ObjectHeader h = table.entry(handle);
        if (h.deleted) {
          throw new IllegalStateException("handle " + Long.toHexString(handle)
              + " refers to deleted " + h);
        }
        counted.merge(h, 1L, Long::sum);
      }
    }
    for (var e : counted.entrySet()) {
      ObjectHeader h = e.getKey();
      if (h.handleCount != e.getValue() || h.pointerCount < h.handleCount) {
        throw new IllegalStateException(h + " counts " + h.handleCount + " handles and "
            + h.pointerCount + " references, but " + e.getValue() + " handles refer to it");
      }
    }
  }

  /** The namespace below {@code directory}; throws on the first stale entry. */
  static void namespace(ObjectDirectory directory) {
    for (ObjectHeader h : directory.objects()) {
      if (h.deleted || h.directory != directory) {
        throw new IllegalStateException("stale entry " + h.name + " in " + directory.header());
      }
      if (!h.permanent && h.handleCount == 0) {
        throw new IllegalStateException("temporary " + h + " has no handle");
      }
      if (h.pointerCount < h.handleCount) {
        throw new IllegalStateException(h + " has fewer references than handles");
      }
      if (h.body instanceof ObjectDirectory child) {
        namespace(child);
      }
    }
  }
}
