package org.ntsim.ob;

import org.ntsim.ke.NtStatus;

/**
 * The NTSTATUS values of the object manager's namespace and handles, named and valued as in
 * ntstatus.h. Those the kernel's NtStatus already defines are taken from it, so each value has
 * one definition.
 */
public final class ObStatus {
  /** Informational: OBJ_OPENIF found the name and opened the existing object. */
  public static final int STATUS_OBJECT_NAME_EXISTS = NtStatus.STATUS_OBJECT_NAME_EXISTS;
  public static final int STATUS_INVALID_CID = 0xC000000B;
  public static final int STATUS_INVALID_PARAMETER_MIX = NtStatus.STATUS_INVALID_PARAMETER_MIX;
  /** An empty component: a doubled, leading or trailing backslash. */
  public static final int STATUS_OBJECT_NAME_INVALID = 0xC0000033;
  /** The last component is not in its directory. */
  public static final int STATUS_OBJECT_NAME_NOT_FOUND = NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
  /** Creating without OBJ_OPENIF under a name an object of the same type has. */
  public static final int STATUS_OBJECT_NAME_COLLISION = NtStatus.STATUS_OBJECT_NAME_COLLISION;
  /** A component before the last is not in its directory. */
  public static final int STATUS_OBJECT_PATH_NOT_FOUND = 0xC000003A;
  /** An absolute name without its leading backslash, or a relative one with it. */
  public static final int STATUS_OBJECT_PATH_SYNTAX_BAD = 0xC000003B;
  public static final int STATUS_PRIVILEGE_NOT_HELD = NtStatus.STATUS_PRIVILEGE_NOT_HELD;
  /** A parse procedure replaced the name: look it up again from the root. */
  public static final int STATUS_REPARSE = 0x00000104;
  /** The type's OkayToClose procedure refused to let the handle be closed. */
  public static final int STATUS_HANDLE_NOT_CLOSABLE = 0xC0000235;

  private ObStatus() {}
}
