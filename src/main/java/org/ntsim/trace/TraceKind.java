package org.ntsim.trace;

/**
 * The kinds of trace event that the simulated machine emits. Every event carries three
 * {@code long} arguments {@code a, b, c}; what each one means is fixed per kind and documented on
 * the constant, so that a trace stays three machine words per event whatever it describes.
 *
 * <p>Each kind also names its arguments ({@link #argName}) and says which of them read better in
 * hexadecimal ({@link #argIsHex}); the text and JSON exporters use that, nothing else does. An
 * argument the kind does not use has no name, is passed as 0 by emitters, and still enters the
 * digest.
 *
 * <p>The ordinal is part of the trace digest: appending a kind keeps old digests, reordering or
 * removing one changes every digest that used a later kind.
 */
public enum TraceKind {
  /** The dispatcher swapped threads: a = old thread id, b = new thread id, c = old thread's state code | (wait reason &lt;&lt; 8). */
  CONTEXT_SWITCH("oldTid", "newTid", "oldState", "c"),
  /** A thread entered a ready queue: a = thread id, b = priority, c = cpu whose ready queue it entered (or -1). */
  READY("tid", "priority", "cpu", ""),
  /** A thread began to wait: a = thread id, b = wait reason code, c = number of objects waited on. */
  WAIT("tid", "waitReason", "objectCount", ""),
  /** A wait was satisfied: a = thread id, b = wait status (NTSTATUS or index), c = priority increment. */
  UNWAIT("tid", "waitStatus", "priorityIncrement", "b"),
  /** A thread's current priority changed (boost or decay): a = thread id, b = old priority, c = new priority. */
  PRIORITY("tid", "oldPriority", "newPriority", ""),
  /** A thread's quantum ran out: a = thread id, b = priority, c = 1 if it gave the CPU to another thread. */
  QUANTUM_END("tid", "priority", "gaveCpu", ""),
  /** A DPC routine is about to run: a = DPC object address, b = importance, c = queue depth before removal. */
  DPC_BEGIN("dpc", "importance", "queueDepth", "a"),
  /** A DPC routine returned: a = DPC object address. */
  DPC_END("dpc", null, null, "a"),
  /** An interrupt service routine starts: a = IRQL of the interrupt, b = vector or 0, c = interrupted IRQL. */
  ISR_BEGIN("irql", "vector", "interruptedIrql", "b"),
  /** An interrupt service routine returned: a = IRQL of the interrupt. */
  ISR_END("irql", null, null, ""),
  /** The clock interrupt charged a tick: a = tick number, b = category charged (0 user, 1 kernel, 2 dpc, 3 interrupt, 4 idle), c = thread id charged. */
  CLOCK_TICK("tick", "category", "tid", ""),
  /** An interprocessor interrupt was requested: a = source cpu, b = target cpu, c = reason. */
  IPI("sourceCpu", "targetCpu", "reason", ""),
  /** A thread was created: a = thread id, b = process id, c = priority. */
  THREAD_CREATE("tid", "pid", "priority", ""),
  /** A thread terminated: a = thread id, b = process id, c = exit code. */
  THREAD_EXIT("tid", "pid", "exitCode", "c"),
  /** A process was created: a = process id, b = parent process id. */
  PROCESS_CREATE("pid", "parentPid", null, ""),
  /** A process terminated: a = process id, b = exit code. */
  PROCESS_EXIT("pid", "exitCode", null, "b"),
  /** The machine stopped with a bug check: a = stop code, b = parameter 1, c = parameter 2. */
  BUGCHECK("stopCode", "parameter1", "parameter2", "abc"),
  /** A point of interest chosen by a lab; a, b, c are free. */
  MARK("a", "b", "c", ""),
  /** An APC was queued: a = target thread id, b = KAPC address, c = kind (0 special kernel, 1 normal kernel, 2 user). */
  APC_QUEUED("tid", "apc", "kind", "b"),
  /** An APC routine is about to run in its thread: a = thread id, b = KAPC address, c = kind. */
  APC_DELIVERED("tid", "apc", "kind", "b"),
  /** A timer expired: a = KTIMER address, b = its period in ns (0 one-shot), c = 1 if it queued a DPC. */
  TIMER_EXPIRED("timer", "periodNs", "dpc", "a"),
  /** A page fault was resolved or refused: a = faulting virtual address, b = kind (0 demand zero, 1 transition, 2 guard page, 3 access violation, 4 collided (waited for another fault), 5 page table made, 6 system PDE copied, 7 already resolved), c = process id. */
  PAGE_FAULT("va", "kind", "pid", "a"),
  /** A page frame changed list or state: a = page frame number, b = old state, c = new state (0 zeroed, 1 free, 2 standby, 3 modified, 4 modified-no-write, 5 bad, 6 active, 7 transition). */
  PAGE_LIST("pfn", "from", "to", "a"),
  /** TLB entries were invalidated on other processors: a = virtual address, b = mask of target processors, c = process id (0 for a system address). */
  TLB_SHOOTDOWN("va", "cpuMask", "pid", "ab"),
  /** Pages left a working set: a = process id, b = pages removed, c = pages still valid. */
  WS_TRIM("pid", "pages", "remaining", ""),
  /**
   * An annotation, not an event (see {@link Tracer#annotate}): a thread entered or left a system
   * service: a = thread id, b = service number (KiServiceTable's), c = 1 entered from user mode,
   * 2 entered from kernel mode (a Zw* call), 0 returned.
   */
  SERVICE("tid", "service", "entered", ""),
  /** An IRP was sent to the top of a device stack (IoCallDriver from its issuer): a = IRP address, b = device object address, c = major function. */
  IRP_ISSUE("irp", "device", "major", "ab"),
  /** IoCallDriver gave an IRP to a device's dispatch routine: a = IRP address, b = device object address, c = stack location (CurrentLocation). */
  IRP_DISPATCH("irp", "device", "location", "ab"),
  /** A dispatch routine marked an IRP pending (IoMarkIrpPending): a = IRP address, b = device object address (0 if none), c = stack location. */
  IRP_PENDING("irp", "device", "location", "ab"),
  /** IoCompleteRequest unwound one stack location: a = IRP address, b = device object address of that location (0 if none), c = the IRP's status then. */
  IRP_COMPLETION("irp", "device", "status", "abc");

  private static final TraceKind[] BY_ORDINAL = values();

  private final String[] argNames;
  private final boolean[] argHex;

  TraceKind(String aName, String bName, String cName, String hexArgs) {
    this.argNames = new String[] {aName, bName, cName};
    this.argHex = new boolean[] {hexArgs.contains("a"), hexArgs.contains("b"), hexArgs.contains("c")};
  }

  /** The name of argument {@code index} (0 = a, 1 = b, 2 = c), or null if this kind does not use it. */
  public String argName(int index) {
    return argNames[index];
  }

  /** The kind whose ordinal is {@code ordinal}, without the copy that {@code values()} makes. */
  static TraceKind ofOrdinal(int ordinal) {
    return BY_ORDINAL[ordinal];
  }

  /** Whether argument {@code index} (0 = a, 1 = b, 2 = c) is an address, status or code best shown in hex. */
  public boolean argIsHex(int index) {
    return argHex[index];
  }
}
