package org.ntsim.ob;

/**
 * OBJECT_HANDLE_FLAG_INFORMATION (class ObjectHandleFlagInformation, 4, of NtQueryObject and
 * NtSetInformationObject): a handle's two flags, two BOOLEANs, 2 bytes on x86. What
 * Get/SetHandleInformation's HANDLE_FLAG_INHERIT and HANDLE_FLAG_PROTECT_FROM_CLOSE are made of.
 */
public final class ObjectHandleFlagInformation {
  public static final int SIZE = 2;
  public boolean Inherit;
  public boolean ProtectFromClose;

  public ObjectHandleFlagInformation() {}

  public ObjectHandleFlagInformation(boolean inherit, boolean protectFromClose) {
    this.Inherit = inherit;
    this.ProtectFromClose = protectFromClose;
  }
}
