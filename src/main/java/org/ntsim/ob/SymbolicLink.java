package org.ntsim.ob;

/**
 * OBJECT_SYMBOLIC_LINK: the body of a SymbolicLink object, a name that stands for another path.
 * A lookup that reaches a link with more of the name left (or that wants another type than
 * SymbolicLink) continues with the link's target followed by the rest of the name, from the root
 * (ObpParseSymbolicLink and STATUS_REPARSE).
 *
 * <p>Invariant: the target is an absolute path (starts with a backslash).
 *
 * <p>Left out: NtQuerySymbolicLinkObject, the creation time, and links whose target is a DOS
 * device map.
 */
public final class SymbolicLink {
  private final String target;

  SymbolicLink(String target) {
    if (!target.startsWith("\\")) {
      throw new IllegalArgumentException("a link target is an absolute path: " + target);
    }
    this.target = target;
  }

  /** LinkTarget. */
  public String target() {
    return target;
  }
}
