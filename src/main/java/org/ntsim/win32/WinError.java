package org.ntsim.win32;

import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObStatus;

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
  public static final int ERROR_FILE_NOT_FOUND = 2;
  public static final int ERROR_SIGNAL_REFUSED = 156;
  public static final int ERROR_ALREADY_EXISTS = 183;
  public static final int ERROR_NOT_OWNER = 288;
  public static final int ERROR_TOO_MANY_POSTS = 298;
  public static final int ERROR_PATH_NOT_FOUND = 3;
  public static final int ERROR_INVALID_NAME = 123;
  public static final int ERROR_BAD_PATHNAME = 161;
  public static final int ERROR_OBJECT_NAME_EXISTS = 698;
  public static final int ERROR_NOACCESS = 998;
  public static final int ERROR_BAD_LENGTH = 24;
  public static final int ERROR_NOT_LOCKED = 158;
  public static final int ERROR_THREAD_MODE_ALREADY_BACKGROUND = 400;
  public static final int ERROR_THREAD_MODE_NOT_BACKGROUND = 401;
  public static final int ERROR_PROCESS_MODE_ALREADY_BACKGROUND = 402;
  public static final int ERROR_PROCESS_MODE_NOT_BACKGROUND = 403;
  public static final int ERROR_PARTIAL_COPY = 299;
  public static final int ERROR_INVALID_ADDRESS = 487;
  public static final int ERROR_PRIVILEGE_NOT_HELD = 1314;
  public static final int ERROR_WORKING_SET_QUOTA = 1453;
  public static final int ERROR_COMMITMENT_LIMIT = 1455;

  private WinError() {}

  /**
   * RtlNtStatusToDosError for the statuses ntsim returns, with the values Wine's
   * dlls/ntdll/tests/error.c checks on Windows. STATUS_OBJECT_NAME_EXISTS is
   * ERROR_OBJECT_NAME_EXISTS; the Create functions report ERROR_ALREADY_EXISTS themselves.
   */
  public static int fromNtStatus(int status) {
    return switch (status) {
      case NtStatus.STATUS_SUCCESS -> ERROR_SUCCESS;
      case NtStatus.STATUS_INVALID_HANDLE, NtStatus.STATUS_OBJECT_TYPE_MISMATCH,
          ObStatus.STATUS_HANDLE_NOT_CLOSABLE -> ERROR_INVALID_HANDLE;
      case NtStatus.STATUS_ACCESS_DENIED -> ERROR_ACCESS_DENIED;
      case NtStatus.STATUS_INVALID_PARAMETER, NtStatus.STATUS_INVALID_PARAMETER_1,
          NtStatus.STATUS_INVALID_PARAMETER_2, NtStatus.STATUS_INVALID_PARAMETER_3,
          NtStatus.STATUS_INVALID_PARAMETER_4, NtStatus.STATUS_INVALID_PARAMETER_6,
          NtStatus.STATUS_INVALID_PARAMETER_MIX -> ERROR_INVALID_PARAMETER;
      case NtStatus.STATUS_MUTANT_NOT_OWNED -> ERROR_NOT_OWNER;
      case NtStatus.STATUS_SEMAPHORE_LIMIT_EXCEEDED -> ERROR_TOO_MANY_POSTS;
      case NtStatus.STATUS_SUSPEND_COUNT_EXCEEDED -> ERROR_SIGNAL_REFUSED;
      case NtStatus.STATUS_THREAD_IS_TERMINATING, NtStatus.STATUS_PROCESS_IS_TERMINATING ->
          ERROR_ACCESS_DENIED;
      case NtStatus.STATUS_ACCESS_VIOLATION, NtStatus.STATUS_DATATYPE_MISALIGNMENT ->
          ERROR_NOACCESS;
      case ObStatus.STATUS_OBJECT_NAME_NOT_FOUND -> ERROR_FILE_NOT_FOUND;
      case ObStatus.STATUS_OBJECT_NAME_COLLISION -> ERROR_ALREADY_EXISTS;
      case ObStatus.STATUS_OBJECT_NAME_EXISTS -> ERROR_OBJECT_NAME_EXISTS;
      case ObStatus.STATUS_OBJECT_NAME_INVALID -> ERROR_INVALID_NAME;
      case ObStatus.STATUS_OBJECT_PATH_NOT_FOUND -> ERROR_PATH_NOT_FOUND;
      case ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD -> ERROR_BAD_PATHNAME;
      case ObStatus.STATUS_PRIVILEGE_NOT_HELD -> ERROR_PRIVILEGE_NOT_HELD;
      case ObStatus.STATUS_INVALID_CID -> ERROR_INVALID_PARAMETER;
      case NtStatus.STATUS_INSUFFICIENT_RESOURCES -> ERROR_NO_SYSTEM_RESOURCES;
      case NtStatus.STATUS_NOT_IMPLEMENTED -> ERROR_INVALID_FUNCTION;
      case NtStatus.STATUS_CONFLICTING_ADDRESSES, NtStatus.STATUS_NOT_COMMITTED,
          NtStatus.STATUS_MEMORY_NOT_ALLOCATED, 0xC000009F /* STATUS_FREE_VM_NOT_AT_BASE */ ->
          ERROR_INVALID_ADDRESS;
      case NtStatus.STATUS_INVALID_PAGE_PROTECTION, NtStatus.STATUS_UNABLE_TO_FREE_VM,
          NtStatus.STATUS_INVALID_PARAMETER_5, NtStatus.STATUS_INVALID_INFO_CLASS ->
          ERROR_INVALID_PARAMETER;
      case NtStatus.STATUS_NO_MEMORY -> ERROR_NOT_ENOUGH_MEMORY;
      case NtStatus.STATUS_COMMITMENT_LIMIT -> ERROR_COMMITMENT_LIMIT;
      case NtStatus.STATUS_PARTIAL_COPY -> ERROR_PARTIAL_COPY;
      case NtStatus.STATUS_NOT_LOCKED -> ERROR_NOT_LOCKED;
      case NtStatus.STATUS_WORKING_SET_QUOTA -> ERROR_WORKING_SET_QUOTA;
      case NtStatus.STATUS_INFO_LENGTH_MISMATCH -> ERROR_BAD_LENGTH;
      // RtlNtStatusToDosError passes this warning through unchanged (Wine's test_guard_page
      // sees GetLastError() == STATUS_GUARD_PAGE_VIOLATION after VirtualLock on Windows).
      case NtStatus.STATUS_GUARD_PAGE_VIOLATION -> NtStatus.STATUS_GUARD_PAGE_VIOLATION;
      default -> ERROR_GEN_FAILURE;
    };
  }
}
