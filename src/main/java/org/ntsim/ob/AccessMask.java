package org.ntsim.ob;

/**
 * ACCESS_MASK bits, as winnt.h and ntddk.h define them: the generic and standard rights every
 * object type shares, and the specific rights of the types whose GENERIC_MAPPING the object
 * manager knows ({@link GenericMapping}).
 *
 * <pre>
 *  31 30 29 28 27 26 25 24 23..21 20..16        15..0
 *  GR GW GE GA  -  - MA AS   -    standard      specific
 * </pre>
 *
 * Bits 21-23 and 26-27 are reserved: no type grants them.
 */
public final class AccessMask {
  public static final int GENERIC_READ = 0x80000000;
  public static final int GENERIC_WRITE = 0x40000000;
  public static final int GENERIC_EXECUTE = 0x20000000;
  public static final int GENERIC_ALL = 0x10000000;
  public static final int GENERIC_ACCESS = GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE
      | GENERIC_ALL;
  public static final int MAXIMUM_ALLOWED = 0x02000000;
  public static final int ACCESS_SYSTEM_SECURITY = 0x01000000;

  public static final int DELETE = 0x00010000;
  public static final int READ_CONTROL = 0x00020000;
  public static final int WRITE_DAC = 0x00040000;
  public static final int WRITE_OWNER = 0x00080000;
  public static final int SYNCHRONIZE = 0x00100000;
  public static final int STANDARD_RIGHTS_REQUIRED = 0x000F0000;
  public static final int STANDARD_RIGHTS_READ = READ_CONTROL;
  public static final int STANDARD_RIGHTS_WRITE = READ_CONTROL;
  public static final int STANDARD_RIGHTS_EXECUTE = READ_CONTROL;
  public static final int STANDARD_RIGHTS_ALL = 0x001F0000;

  public static final int EVENT_QUERY_STATE = 0x0001;
  public static final int EVENT_MODIFY_STATE = 0x0002;
  public static final int EVENT_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;
  public static final int MUTANT_QUERY_STATE = 0x0001;
  public static final int MUTANT_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE
      | MUTANT_QUERY_STATE;
  public static final int SEMAPHORE_QUERY_STATE = 0x0001;
  public static final int SEMAPHORE_MODIFY_STATE = 0x0002;
  public static final int SEMAPHORE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;
  public static final int TIMER_QUERY_STATE = 0x0001;
  public static final int TIMER_MODIFY_STATE = 0x0002;
  public static final int TIMER_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;

  public static final int PROCESS_TERMINATE = 0x0001;
  public static final int PROCESS_CREATE_THREAD = 0x0002;
  public static final int PROCESS_VM_OPERATION = 0x0008;
  public static final int PROCESS_VM_READ = 0x0010;
  public static final int PROCESS_VM_WRITE = 0x0020;
  public static final int PROCESS_DUP_HANDLE = 0x0040;
  public static final int PROCESS_CREATE_PROCESS = 0x0080;
  public static final int PROCESS_SET_QUOTA = 0x0100;
  public static final int PROCESS_SET_INFORMATION = 0x0200;
  public static final int PROCESS_QUERY_INFORMATION = 0x0400;
  public static final int PROCESS_SUSPEND_RESUME = 0x0800;
  public static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
  /** The Vista SDK's value (earlier SDKs had 0x1F0FFF). */
  public static final int PROCESS_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF;

  public static final int THREAD_TERMINATE = 0x0001;
  public static final int THREAD_SUSPEND_RESUME = 0x0002;
  public static final int THREAD_ALERT = 0x0004;
  public static final int THREAD_GET_CONTEXT = 0x0008;
  public static final int THREAD_SET_CONTEXT = 0x0010;
  public static final int THREAD_SET_INFORMATION = 0x0020;
  public static final int THREAD_QUERY_INFORMATION = 0x0040;
  /** The Vista SDK's value (earlier SDKs had 0x1F03FF). */
  public static final int THREAD_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF;

  public static final int DIRECTORY_QUERY = 0x0001;
  public static final int DIRECTORY_TRAVERSE = 0x0002;
  public static final int DIRECTORY_CREATE_OBJECT = 0x0004;
  public static final int DIRECTORY_CREATE_SUBDIRECTORY = 0x0008;
  public static final int DIRECTORY_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0xF;
  public static final int SYMBOLIC_LINK_QUERY = 0x0001;
  public static final int SYMBOLIC_LINK_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0x1;
  public static final int OBJECT_TYPE_CREATE = 0x0001;
  public static final int OBJECT_TYPE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0x1;

  private AccessMask() {}
}
