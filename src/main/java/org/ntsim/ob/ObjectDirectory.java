package org.ntsim.ob;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OBJECT_DIRECTORY: the body of a Directory object, mapping name components to the objects
 * entered under them.
 *
 * <p>NT hashes names case-insensitively into 37 buckets and inserts at the head of a bucket, so
 * names that differ only in case share a bucket and a case-insensitive lookup finds the one
 * entered last. Here the entries live in a tree ordered case-insensitively (then by exact
 * characters, so that such names can coexist, as they do in NT when created case-sensitively);
 * a case-insensitive lookup picks, among the matching entries, the one entered last.
 *
 * <p>Invariants: at most one entry per exact name; an entry's object has this directory as its
 * {@code directory} and its component as its {@code name}.
 *
 * <p>Left out: DIRECTORY_QUERY enumeration (NtQueryDirectoryObject), shadow directories, and
 * RtlUpcaseUnicodeChar's exact table (Java's per-character case folding stands in).
 */
public final class ObjectDirectory extends ObjectBody {
  private static final Comparator<String> ORDER =
      String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

  private record Entry(ObjectHeader object, long sequence) {}

  private final TreeMap<String, Entry> entries = new TreeMap<>(ORDER);
  private long insertions; // sequence numbers: which of several case variants came last
  /** The directory's own object header. */
  public ObjectHeader header() {
    return objectHeader;
  }

  /** ObpLookupDirectoryEntry: the object entered as {@code component}, or null. */
  ObjectHeader lookup(String component, boolean caseInsensitive) {
    if (!caseInsensitive) {
      Entry e = entries.get(component);
      return e == null ? null : e.object;
    }
    // Names equal but for case are adjacent in the tree: on both sides of the exact position.
    Entry latest = latest(entries.tailMap(component, true), component, null);
    latest = latest(entries.headMap(component, false).descendingMap(), component, latest);
    return latest == null ? null : latest.object;
  }

  private static Entry latest(Map<String, Entry> run, String component, Entry best) {
    for (Map.Entry<String, Entry> e : run.entrySet()) {
      if (String.CASE_INSENSITIVE_ORDER.compare(e.getKey(), component) != 0) {
        break;
      }
      if (best == null || e.getValue().sequence > best.sequence) {
        best = e.getValue();
      }
    }
    return best;
  }

  /** ObpInsertDirectoryEntry: enters {@code object} as {@code component} (not yet present). */
  void insert(String component, ObjectHeader object) {
    if (entries.containsKey(component)) {
      throw new IllegalStateException("\"" + component + "\" is already in the directory");
    }
    object.name = component;
    object.directory = this;
    entries.put(component, new Entry(object, insertions++));
  }

  /** ObpDeleteDirectoryEntry: removes {@code object}'s entry; false if it has none here. */
  boolean remove(ObjectHeader object) {
    Entry e = entries.get(object.name);
    if (e == null || e.object != object) {
      return false;
    }
    entries.remove(object.name);
    object.directory = null;
    return true;
  }

  public int size() {
    return entries.size();
  }

  /** The objects in the directory, in name order (case-insensitive, then exact). */
  public List<ObjectHeader> objects() {
    List<ObjectHeader> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      out.add(e.getValue().object);
    }
    return out;
  }

  /** The names in the directory, in the order of {@link #objects()}. */
  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }
}
