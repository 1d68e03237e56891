package org.ntsim.ob;

import org.ntsim.ke.NtStatus;

/**
 * OBJECT_SYMBOLIC_LINK: the body of a SymbolicLink object, a name that stands for another path.
 * A lookup that reaches a link with more of the name left (or that wants another type than
 * SymbolicLink) continues with the link's target followed by the rest of the name, from the root:
 * the SymbolicLink type's parse procedure ({@link #parse}, ObpParseSymbolicLink) returns
 * STATUS_REPARSE with that name.
 *
 * <p>Invariant: the target is an absolute path (starts with a backslash).
 *
 * <p>Left out: NtQuerySymbolicLinkObject, the creation time, and links whose target is a DOS
 * device map.
 */
public final class SymbolicLink extends ObjectBody {
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

  /**
   * ObpParseSymbolicLink: the link itself when the name ends at it and a link is what is wanted
   * (referenced for the caller, as a parse procedure returns what it found); a relative rest that
   * does not start with a backslash is STATUS_OBJECT_TYPE_MISMATCH; otherwise the target followed
   * by the rest, to be looked up again from the root.
   */
  static TypeProcedures.ParseResult parse(ObjectManager ob, Object parseObject,
      ObjectType objectType, String remainingName) {
    SymbolicLink link = (SymbolicLink) parseObject;
    if (remainingName.isEmpty()) {
      if (objectType == ob.symbolicLinkType) {
        ob.reference(link.objectHeader);
        return TypeProcedures.ParseResult.found(link);
      }
    } else if (!remainingName.startsWith("\\")) {
      return TypeProcedures.ParseResult.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    }
    return TypeProcedures.ParseResult.reparse(link.target + remainingName);
  }
}
