package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.InterruptHandler;
import org.ntsim.hal.InterruptVectors;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;

/**
 * Interrupt objects and the interrupt dispatch table (WRK's ke/i386/intobj.c and intsup.asm;
 * Windows Internals, "Interrupt dispatching"): KeInitializeInterrupt, KeConnectInterrupt and
 * KeDisconnectInterrupt on each processor's IDT, the dispatch code an IDT entry runs
 * (KiInterruptDispatch for one object, KiChainedDispatch for a chain), KeSynchronizeExecution, and
 * the unexpected-interrupt routine of unconnected vectors. The kernel's own vectors (the clock at
 * 0xD1, the IPI at 0xE1) are routines installed at boot, not interrupt objects, as in NT's x86
 * HAL; no object can connect to them.
 *
 * <p>Chained dispatch follows KiChainedDispatch2ndLvl exactly: the objects are called in
 * connection order, each at its synchronize IRQL (raised from the vector's IRQL if higher) holding
 * its spin lock. For level-sensitive interrupts the first routine that returns TRUE ends the walk,
 * and a walk that reaches the end unclaimed ends too (the line is still asserted and interrupts
 * again). For latched (edge-triggered) interrupts every routine is called, and the whole chain is
 * walked again as long as some routine claimed the interrupt in the last pass, because an edge
 * that arrived meanwhile would be lost; a walk with no claim ends it.
 *
 * <p>Invariants: each processor's hardware vectors (0x30-0xFF) hold the unexpected routine, a
 * kernel routine, or the head of a chain of connected interrupt objects; an object connects only
 * to its own processor's IDT.
 *
 * <p>Left out: interrupt storm detection by time (here a latched chain that keeps claiming for
 * {@link #MAXIMUM_LATCHED_PASSES} passes is a storm), and the HAL's spurious-interrupt check
 * (HalBeginSystemInterrupt never refuses): an interrupt on an unconnected vector is counted and
 * dismissed, as KiUnexpectedInterruptTail does.
 */
final class Interrupts {
  /** Passes over a latched chain whose routines keep claiming, before it is called a storm. */
  static final int MAXIMUM_LATCHED_PASSES = 64;
  /** Where the symbols of the HAL's routines sit, for the debugger (hal.dll's image). */
  private static final long HAL_CLOCK_INTERRUPT = 0x806d3dd4L;
  private static final long HAL_IPI_HANDLER = 0x806d4f30L;
  private static final long KI_UNEXPECTED_INTERRUPT = 0x8188e5f0L;

  private final Kernel kernel;
  private final Machine machine;
  private final IdtRoutine unexpected;

  Interrupts(Kernel kernel, Clock clock) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.unexpected = new IdtRoutine("nt!KiUnexpectedInterrupt", KI_UNEXPECTED_INTERRUPT, true,
        this::unexpectedInterrupt);
    IdtRoutine clockRoutine = new IdtRoutine("hal!HalpClockInterrupt", HAL_CLOCK_INTERRUPT,
        false, clock::clockInterrupt);
    IdtRoutine ipiRoutine = new IdtRoutine("hal!HalpIpiHandler", HAL_IPI_HANDLER, false,
        this::ipiInterrupt);
    for (int c = 0; c < machine.cpuCount(); c++) {
      Cpu cpu = machine.cpu(c);
      for (int v = InterruptVectors.FIRST_HARDWARE_VECTOR; v < InterruptVectors.COUNT; v++) {
        cpu.setIdtEntry(v, unexpected);
      }
      cpu.setIdtEntry(InterruptVectors.CLOCK_VECTOR, clockRoutine);
      cpu.setIdtEntry(InterruptVectors.IPI_VECTOR, ipiRoutine);
    }
  }

  /**
   * KiIpiServiceRoutine: an IPI's requests are for the dispatcher of the processor it reaches, and
   * for its APC interrupt when its current thread has kernel APCs pending (an APC queued from
   * another processor, IPI_APC).
   */
  private void ipiInterrupt(Cpu cpu, int interruptedIrql) {
    cpu.requestSoftwareInterrupt(Irql.DISPATCH_LEVEL);
    if (kernel.prcb(cpu.index).currentThread.kernelApcPending) {
      cpu.requestSoftwareInterrupt(Irql.APC_LEVEL);
    }
  }

  /** KiUnexpectedInterruptTail: an interrupt on a vector nothing is connected to is dismissed. */
  private void unexpectedInterrupt(Cpu cpu, int interruptedIrql) {
    kernel.prcb(cpu.index).unexpectedInterrupts++;
  }

  /**
   * KeInitializeInterrupt: an unconnected interrupt object for {@code vector} of processor
   * {@code processorNumber}; without a {@code spinLock} it uses one of its own.
   */
  KInterrupt initializeInterrupt(String name, InterruptServiceRoutine serviceRoutine,
      Object serviceContext, KSpinLock spinLock, int vector, int irql, int synchronizeIrql,
      int mode, boolean shareVector, int processorNumber, long address) {
    return new KInterrupt(name, serviceRoutine, serviceContext, spinLock, vector, irql,
        synchronizeIrql, mode, shareVector, processorNumber, address);
  }

  /**
   * KeConnectInterrupt: connects the object to its vector on its processor, first on the vector
   * or chained after the objects already there (both sharing, same mode). FALSE if it is already
   * connected, its IRQL, processor, synchronize IRQL or vector is invalid, or the vector is taken.
   */
  boolean connectInterrupt(KInterrupt interrupt) {
    if (interrupt.connected || interrupt.irql > Irql.HIGH_LEVEL
        || interrupt.irql <= Irql.DISPATCH_LEVEL
        || interrupt.number < 0 || interrupt.number >= machine.cpuCount()
        || interrupt.synchronizeIrql < interrupt.irql
        || interrupt.vector < InterruptVectors.FIRST_HARDWARE_VECTOR
        || interrupt.vector >= InterruptVectors.COUNT) {
      return false;
    }
    Cpu cpu = machine.cpu(interrupt.number);
    InterruptHandler entry = cpu.idtEntry(interrupt.vector);
    if (entry == unexpected) {
      interrupt.chainNext = null;
      cpu.setIdtEntry(interrupt.vector, interrupt);
    } else if (entry instanceof KInterrupt head && head.shareVector && interrupt.shareVector
        && head.mode == interrupt.mode) {
      KInterrupt last = head;
      while (last.chainNext != null) {
        last = last.chainNext;
      }
      interrupt.chainNext = null;
      last.chainNext = interrupt;
    } else {
      return false;
    }
    interrupt.dispatcher = this;
    interrupt.connected = true;
    return true;
  }

  /**
   * KeDisconnectInterrupt: takes the object off its vector's chain (the next object becomes the
   * IDT entry if it was the first; the unexpected routine if it was the only one). FALSE if it was
   * not connected.
   */
  boolean disconnectInterrupt(KInterrupt interrupt) {
    if (!interrupt.connected) {
      return false;
    }
    Cpu cpu = machine.cpu(interrupt.number);
    KInterrupt head = (KInterrupt) cpu.idtEntry(interrupt.vector);
    if (head == interrupt) {
      cpu.setIdtEntry(interrupt.vector, interrupt.chainNext != null ? interrupt.chainNext
          : unexpected);
    } else {
      KInterrupt prev = head;
      while (prev.chainNext != interrupt) {
        prev = prev.chainNext;
      }
      prev.chainNext = interrupt.chainNext;
    }
    interrupt.chainNext = null;
    interrupt.connected = false;
    return true;
  }

  /**
   * KiInterruptDispatch and KiChainedDispatch: the processor took the vector whose IDT entry is
   * {@code head}, at the vector's IRQL, on the loop's stack.
   */
  void dispatch(KInterrupt head, Cpu cpu) {
    if (head.chainNext == null) {
      callServiceRoutine(head, cpu);
      return;
    }
    for (int pass = 1; ; pass++) {
      boolean claimed = false;
      for (KInterrupt i = head; i != null; i = i.chainNext) {
        if (callServiceRoutine(i, cpu)) {
          if (i.mode == KInterrupt.LEVEL_SENSITIVE) {
            return;
          }
          claimed = true;
        }
      }
      if (head.mode == KInterrupt.LEVEL_SENSITIVE || !claimed) {
        return;
      }
      if (pass == MAXIMUM_LATCHED_PASSES) {
        kernel.bugCheckEx(BugCheck.HARDWARE_INTERRUPT_STORM, 0, 0, head.address, 2,
            "the latched interrupt chain of vector " + Integer.toHexString(head.vector)
                + " kept claiming for " + pass + " passes");
      }
    }
  }

  /** One object's turn: at its synchronize IRQL, under its spin lock. */
  private boolean callServiceRoutine(KInterrupt i, Cpu cpu) {
    int old = cpu.irql();
    if (i.synchronizeIrql > old) {
      cpu.setIrql(i.synchronizeIrql);
    }
    acquire(i.actualLock, cpu);
    try {
      i.dispatchCount++;
      return i.serviceRoutine.service(i, i.serviceContext);
    } finally {
      i.actualLock.owner = -1;
      cpu.setIrql(old);
    }
  }

  /**
   * KeSynchronizeExecution: runs {@code routine} at the interrupt's synchronize IRQL holding its
   * spin lock, so that it never runs at the same time as the service routine; returns what the
   * routine returns. Interrupts masked meanwhile are taken when the IRQL drops back.
   */
  boolean synchronizeExecution(KInterrupt interrupt, SynchronizeRoutine routine,
      Object context) {
    int old = kernel.raiseIrql(interrupt.synchronizeIrql);
    Cpu cpu = machine.activeCpu();
    boolean result;
    acquire(interrupt.actualLock, cpu);
    try {
      result = routine.run(context);
    } finally {
      interrupt.actualLock.owner = -1;
    }
    kernel.lowerIrql(old);
    return result;
  }

  private void acquire(KSpinLock lock, Cpu cpu) {
    lock.take(kernel, cpu);
  }
}
