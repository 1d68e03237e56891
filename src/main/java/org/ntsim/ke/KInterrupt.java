package org.ntsim.ke;

import org.ntsim.hal.Cpu;
import org.ntsim.hal.InterruptHandler;

/**
 * KINTERRUPT: an interrupt object (Windows Internals, "Interrupt objects"; WRK intobj.c). It binds
 * a driver's service routine and context to one vector of one processor's IDT, with the IRQL the
 * device interrupts at (its DIRQL), the IRQL its routine synchronises at, and the spin lock it
 * runs under. Objects connected to the same vector with ShareVector set and the same mode form a
 * chain, in connection order; the IDT entry is the chain's first object, whose dispatch code
 * (KiInterruptDispatch, or KiChainedDispatch for a chain) runs them.
 *
 * <p>Invariants: {@code synchronizeIrql >= irql}; a connected object is on exactly one chain, that
 * of its vector on processor {@code number}, linked through {@code chainNext} from the chain's
 * head; every object of a chain has ShareVector set and the same mode.
 *
 * <p>Left out: floating-point save (FloatingSave, refused on x86 as NT refuses it), interrupt
 * storm detection, and the message-signalled interrupts of later Windows.
 */
public final class KInterrupt implements InterruptHandler {
  /** KINTERRUPT_MODE LevelSensitive. */
  public static final int LEVEL_SENSITIVE = 0;
  /** KINTERRUPT_MODE Latched (edge-triggered). */
  public static final int LATCHED = 1;
  /** DispatchCode's offset in the x86 KINTERRUPT: the address the IDT entry holds. */
  public static final int DISPATCH_CODE_OFFSET = 0x3c;

  public final long address;
  /** The routine's symbol, as the debugger shows it (for example {@code atapi!IdePortInterrupt}). */
  public final String name;
  final InterruptServiceRoutine serviceRoutine;
  final Object serviceContext;
  public final int vector;
  public final int irql;
  public final int synchronizeIrql;
  public final int mode;
  public final boolean shareVector;
  /** The processor whose IDT it connects to. */
  public final int number;
  final KSpinLock actualLock;
  boolean connected;
  KInterrupt chainNext; // InterruptListEntry, in connection order; only the head's is walked
  Interrupts dispatcher; // set while connected: the kernel's dispatch code for this vector
  long dispatchCount; // times its service routine was called

  KInterrupt(String name, InterruptServiceRoutine serviceRoutine, Object serviceContext,
      KSpinLock spinLock, int vector, int irql, int synchronizeIrql, int mode, boolean shareVector,
      int number, long address) {
    this.address = address;
    this.name = name;
    this.serviceRoutine = serviceRoutine;
    this.serviceContext = serviceContext;
    this.actualLock = spinLock != null ? spinLock : new KSpinLock(address + 0x1c);
    this.vector = vector;
    this.irql = irql;
    this.synchronizeIrql = synchronizeIrql;
    this.mode = mode;
    this.shareVector = shareVector;
    this.number = number;
  }

  public boolean isConnected() {
    return connected;
  }

  /** The spin lock the service routine runs under (ActualLock). */
  public KSpinLock spinLock() {
    return actualLock;
  }

  /** The next object on this vector's chain (only meaningful from the head), or null. */
  public KInterrupt chainNext() {
    return chainNext;
  }

  public long dispatchCount() {
    return dispatchCount;
  }

  /** The IDT entry's code: the processor took this object's vector. */
  @Override
  public void service(Cpu cpu, int interruptedIrql) {
    dispatcher.dispatch(this, cpu);
  }
}
