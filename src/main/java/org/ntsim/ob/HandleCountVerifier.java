package org.ntsim.ob;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A full sweep of the object manager's counts, for tests and the fuzzer: every handle refers to
 * a live object, and an object's handle count is the number of handles to it, never more than
 * its pointer count (OBJECT_HEADER's invariant).
 */
final class HandleCountVerifier {
  private HandleCountVerifier() {}

  /**
   * Checks every handle against its object: the object is alive, and its handle count is the
   * number of handles to it in {@code tables} (which must be every table in use: the processes'
   * and the System process's, which holds the kernel handles), never more than its pointer
   * count. Throws IllegalStateException naming the first object that disagrees.
   */
  static void verify(Iterable<HandleTable> tables) {
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
}
