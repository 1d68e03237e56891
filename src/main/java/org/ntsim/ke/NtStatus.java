package org.ntsim.ke;

/** NTSTATUS values the kernel returns, named as in ntstatus.h. */
public final class NtStatus {
  public static final int STATUS_SUCCESS = 0x00000000;
  public static final int STATUS_WAIT_0 = 0x00000000;
  public static final int STATUS_ABANDONED_WAIT_0 = 0x00000080;
  public static final int STATUS_USER_APC = 0x000000C0;
  public static final int STATUS_KERNEL_APC = 0x00000100;
  public static final int STATUS_ALERTED = 0x00000101;
  public static final int STATUS_TIMEOUT = 0x00000102;
  public static final int STATUS_PENDING = 0x00000103;
  public static final int STATUS_NO_YIELD_PERFORMED = 0x40000024;
  public static final int STATUS_OBJECT_NAME_EXISTS = 0x40000000;
  public static final int STATUS_MUTANT_NOT_OWNED = 0xC0000046;
  public static final int STATUS_SEMAPHORE_LIMIT_EXCEEDED = 0xC0000047;
  public static final int STATUS_SUSPEND_COUNT_EXCEEDED = 0xC000004A;
  public static final int STATUS_INVALID_PARAMETER_MIX = 0xC0000030;
  public static final int STATUS_OBJECT_NAME_NOT_FOUND = 0xC0000034;
  public static final int STATUS_OBJECT_NAME_COLLISION = 0xC0000035;
  public static final int STATUS_UNSUCCESSFUL = 0xC0000001;
  public static final int STATUS_NOT_IMPLEMENTED = 0xC0000002;
  public static final int STATUS_ACCESS_VIOLATION = 0xC0000005;
  public static final int STATUS_INVALID_HANDLE = 0xC0000008;
  public static final int STATUS_INVALID_PARAMETER = 0xC000000D;
  public static final int STATUS_ACCESS_DENIED = 0xC0000022;
  public static final int STATUS_OBJECT_TYPE_MISMATCH = 0xC0000024;
  public static final int STATUS_INVALID_PARAMETER_1 = 0xC00000EF;
  public static final int STATUS_INVALID_PARAMETER_2 = 0xC00000F0;
  public static final int STATUS_INVALID_PARAMETER_3 = 0xC00000F1;
  public static final int STATUS_INVALID_PARAMETER_4 = 0xC00000F2;
  public static final int STATUS_INVALID_PARAMETER_6 = 0xC00000F4;
  public static final int STATUS_TIMER_RESUME_IGNORED = 0x40000025;
  public static final int STATUS_THREAD_IS_TERMINATING = 0xC000004B;
  public static final int STATUS_PROCESS_IS_TERMINATING = 0xC000010A;
  public static final int STATUS_UNHANDLED_EXCEPTION = 0xC0000144;
  public static final int STATUS_INSUFFICIENT_RESOURCES = 0xC000009A;

  public static final int STATUS_GUARD_PAGE_VIOLATION = 0x80000001;
  public static final int STATUS_DATATYPE_MISALIGNMENT = 0x80000002;
  public static final int STATUS_PARTIAL_COPY = 0x8000000D;
  public static final int STATUS_WAS_LOCKED = 0x40000019;
  public static final int STATUS_INVALID_INFO_CLASS = 0xC0000003;
  public static final int STATUS_INFO_LENGTH_MISMATCH = 0xC0000004;
  public static final int STATUS_IN_PAGE_ERROR = 0xC0000006;
  public static final int STATUS_MORE_PROCESSING_REQUIRED = 0xC0000016;
  public static final int STATUS_NO_MEMORY = 0xC0000017;
  public static final int STATUS_CONFLICTING_ADDRESSES = 0xC0000018;
  public static final int STATUS_UNABLE_TO_FREE_VM = 0xC000001A;
  public static final int STATUS_ALREADY_COMMITTED = 0xC0000021;
  public static final int STATUS_NOT_LOCKED = 0xC000002A;
  public static final int STATUS_NOT_COMMITTED = 0xC000002D;
  public static final int STATUS_INVALID_PAGE_PROTECTION = 0xC0000045;
  public static final int STATUS_PRIVILEGE_NOT_HELD = 0xC0000061;
  public static final int STATUS_MEMORY_NOT_ALLOCATED = 0xC00000A0;
  public static final int STATUS_WORKING_SET_QUOTA = 0xC00000A1;
  public static final int STATUS_INVALID_PARAMETER_5 = 0xC00000F3;
  public static final int STATUS_COMMITMENT_LIMIT = 0xC000012D;

  private NtStatus() {}

  public static boolean isSuccess(int status) {
    return status >= 0;
  }

  public static String hex(int status) {
    return String.format("0x%08X", status);
  }
}
