package org.ntsim.win32;

import org.ntsim.ke.NtStatus;

/** Win32 error codes (winerror.h) and the RtlNtStatusToDosError mapping for the statuses used. */
public final class WinError {
  public static final int ERROR_SUCCESS = 0;
  public static final int ERROR_INVALID_FUNCTION = 1;
  public static final int ERROR_ACCESS_DENIED = 5;
  public static final int ERROR_INVALID_HANDLE = 6;
  public static final int ERROR_NOT_ENOUGH_MEMORY = 8;
  public static final int ERROR_INVALID_PARAMETER = 87;
  public static final int ERROR_NOT_SUPPORTED = 50;
  public static final int ERROR_GEN_FAILURE = 31;
  public static final int ERROR_NO_SYSTEM_RESOURCES = 1450;

  private WinError() {}

  /** RtlNtStatusToDosError for the statuses ntsim returns. */
  public static int fromNtStatus(int status) {
    return switch (status) {
      case NtStatus.STATUS_SUCCESS -> ERROR_SUCCESS;
      case NtStatus.STATUS_INVALID_HANDLE, NtStatus.STATUS_OBJECT_TYPE_MISMATCH ->
          ERROR_INVALID_HANDLE;
      case NtStatus.STATUS_ACCESS_DENIED -> ERROR_ACCESS_DENIED;
      case NtStatus.STATUS_INVALID_PARAMETER, NtStatus.STATUS_INVALID_PARAMETER_1,
          NtStatus.STATUS_INVALID_PARAMETER_2 -> ERROR_INVALID_PARAMETER;
      case NtStatus.STATUS_INSUFFICIENT_RESOURCES -> ERROR_NO_SYSTEM_RESOURCES;
      case NtStatus.STATUS_NOT_IMPLEMENTED -> ERROR_INVALID_FUNCTION;
      default -> ERROR_GEN_FAILURE;
    };
  }
}
