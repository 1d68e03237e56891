package org.ntsim.ob;

import static org.ntsim.ob.AccessMask.*;

/**
 * GENERIC_MAPPING: the specific rights each generic right stands for on one object type.
 *
 * <p>The constants are NT's own mappings, from the Windows Research Kernel (Server 2003 SP1, the
 * published source nearest Vista): ExpEventMapping, ExpMutantMapping, ExpSemaphoreMapping,
 * ExpTimerMapping, PspProcessMapping, PspThreadMapping, ObpDirectoryMapping,
 * ObpSymbolicLinkMapping and ObpTypeMapping. Wine's conformance tests confirm the mutant one on
 * Windows: GENERIC_EXECUTE brings SYNCHRONIZE, GENERIC_READ | GENERIC_WRITE does not. The
 * process and thread mappings take Vista's larger *_ALL_ACCESS for GENERIC_ALL.
 */
public record GenericMapping(int genericRead, int genericWrite, int genericExecute,
    int genericAll) {

  public static final GenericMapping EVENT = new GenericMapping(
      STANDARD_RIGHTS_READ | EVENT_QUERY_STATE,
      STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE,
      STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
      EVENT_ALL_ACCESS);
  public static final GenericMapping MUTANT = new GenericMapping(
      STANDARD_RIGHTS_READ | MUTANT_QUERY_STATE,
      STANDARD_RIGHTS_WRITE,
      STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
      MUTANT_ALL_ACCESS);
  public static final GenericMapping SEMAPHORE = new GenericMapping(
      STANDARD_RIGHTS_READ | SEMAPHORE_QUERY_STATE,
      STANDARD_RIGHTS_WRITE | SEMAPHORE_MODIFY_STATE,
      STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
      SEMAPHORE_ALL_ACCESS);
  public static final GenericMapping TIMER = new GenericMapping(
      STANDARD_RIGHTS_READ | TIMER_QUERY_STATE,
      STANDARD_RIGHTS_WRITE | TIMER_MODIFY_STATE,
      STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
      TIMER_ALL_ACCESS);
  public static final GenericMapping PROCESS = new GenericMapping(
      STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
      STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD
          | PROCESS_VM_OPERATION | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE | PROCESS_TERMINATE
          | PROCESS_SET_QUOTA | PROCESS_SET_INFORMATION | PROCESS_SUSPEND_RESUME,
      STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
      PROCESS_ALL_ACCESS);
  public static final GenericMapping THREAD = new GenericMapping(
      STANDARD_RIGHTS_READ | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
      STANDARD_RIGHTS_WRITE | THREAD_TERMINATE | THREAD_SUSPEND_RESUME | THREAD_ALERT
          | THREAD_SET_INFORMATION | THREAD_SET_CONTEXT,
      STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
      THREAD_ALL_ACCESS);
  public static final GenericMapping DIRECTORY = new GenericMapping(
      STANDARD_RIGHTS_READ | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
      STANDARD_RIGHTS_WRITE | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
      STANDARD_RIGHTS_EXECUTE | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
      DIRECTORY_ALL_ACCESS);
  public static final GenericMapping SYMBOLIC_LINK = new GenericMapping(
      STANDARD_RIGHTS_READ | SYMBOLIC_LINK_QUERY,
      STANDARD_RIGHTS_WRITE,
      STANDARD_RIGHTS_EXECUTE | SYMBOLIC_LINK_QUERY,
      SYMBOLIC_LINK_ALL_ACCESS);
  public static final GenericMapping OBJECT_TYPE = new GenericMapping(
      STANDARD_RIGHTS_READ,
      STANDARD_RIGHTS_WRITE,
      STANDARD_RIGHTS_EXECUTE,
      OBJECT_TYPE_ALL_ACCESS);

  /**
   * RtlMapGenericMask: each generic bit of {@code accessMask} replaced by the rights it stands
   * for; other bits (MAXIMUM_ALLOWED included) unchanged.
   */
  public int map(int accessMask) {
    int mapped = accessMask & ~GENERIC_ACCESS;
    if ((accessMask & GENERIC_READ) != 0) {
      mapped |= genericRead;
    }
    if ((accessMask & GENERIC_WRITE) != 0) {
      mapped |= genericWrite;
    }
    if ((accessMask & GENERIC_EXECUTE) != 0) {
      mapped |= genericExecute;
    }
    if ((accessMask & GENERIC_ALL) != 0) {
      mapped |= genericAll;
    }
    return mapped;
  }

  /**
   * NT's mapping for one of its standard types by name (Event, Mutant, Semaphore, Timer, Process,
   * Thread, Directory, SymbolicLink, Type); for any other name, GENERIC_ALL gives
   * {@code allAccess} and the other generic rights give only their standard rights.
   */
  public static GenericMapping forStandardType(String typeName, int allAccess) {
    return switch (typeName) {
      case "Event" -> EVENT;
      case "Mutant" -> MUTANT;
      case "Semaphore" -> SEMAPHORE;
      case "Timer" -> TIMER;
      case "Process" -> PROCESS;
      case "Thread" -> THREAD;
      case "Directory" -> DIRECTORY;
      case "SymbolicLink" -> SYMBOLIC_LINK;
      case "Type" -> OBJECT_TYPE;
      default -> new GenericMapping(STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE,
          STANDARD_RIGHTS_EXECUTE, allAccess);
    };
  }
}
