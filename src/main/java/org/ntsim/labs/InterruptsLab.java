package org.ntsim.labs;

import java.io.PrintStream;
import org.ntsim.ex.sync.SyncObjectTypes;
import org.ntsim.ex.sync.SyncServices;
import org.ntsim.hal.Device;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.hal.Prng;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.KInterrupt;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectManager;
import org.ntsim.win32.Ntos;

/**
 * Two devices share one interrupt vector (Windows Internals, "Interrupt dispatching": interrupt
 * objects, chained dispatch, DPCs for ISRs). A network adapter and a disk controller sit on the
 * same line of the I/O APIC, routed to vector 0x62 at DIRQL 10 on processor 0. Each driver's
 * DriverEntry (a system thread) connects an interrupt object to the vector (KeConnectInterrupt,
 * ShareVector, latched), makes a completion event with ZwCreateEvent and OBJ_KERNEL_HANDLE and
 * references it for its DPC (ObReferenceObjectByHandle); then, 200 times, it programs its device
 * under the interrupt's spin lock (KeSynchronizeExecution), the device interrupts 0.2 to 2 ms later
 * (the seed picks each delay), and the thread waits with ZwWaitForSingleObject on the kernel
 * handle. Each ISR claims the interrupt only if its own device raised it and queues its DPC; the
 * DPC sets the event. The report counts what happened, from the interrupt objects' and the
 * drivers' counters.
 */
final class InterruptsLab implements Lab {
  static final int LINE = 16;
  static final int VECTOR = 0x62;
  static final int DIRQL = 10;
  static final int REQUESTS = 200;

  /** A device with a status register: set when it interrupts, cleared by its ISR. */
  static final class LabDevice extends Device {
    boolean interrupting;

    LabDevice(Machine machine, String name, int line) {
      super(machine, name, line);
    }

    /** Starts an operation that ends {@code delayNs} from now: status set, line raised. */
    void startOperation(long delayNs) {
      machine.events.schedule(machine.activeCpu().clockNs() + delayNs, t -> {
        interrupting = true;
        machine.ioApic.raise(line, t);
      });
    }
  }

  /** One driver's device, interrupt object, DPC and counters. */
  static final class Driver {
    final String name;
    final LabDevice device;
    KInterrupt interrupt;
    Kdpc dpc;
    KEvent done;
    int connectStatus = -1;
    long isrCpus; // mask of the processors its ISR ran on
    long dpcCpus; // ... and its DPC
    int eventStatus = -1;
    int completed;
    long isrCalls;
    long claims;
    long dpcRuns;
    int isrIrql = -1;
    int dpcIrql = -1;
    long isrAtNs;
    long sumDpcLatencyNs;

    Driver(String name, LabDevice device) {
      this.name = name;
      this.device = device;
    }
  }

  private Driver nic;
  private Driver disk;

  /** The two drivers, for tests: the network adapter's, then the disk controller's. */
  Driver[] drivers() {
    return new Driver[] {nic, disk};
  }

  @Override
  public String name() {
    return "interrupts";
  }

  @Override
  public String description() {
    return "two devices share an interrupt vector: chained ISRs, their DPCs, Zw waits on kernel"
        + " handles";
  }

  @Override
  public long timeLimitNs() {
    return 5_000_000_000L;
  }

  @Override
  public long breakInNs() {
    return 20_000_000L;
  }

  @Override
  public void start(Ntos os) {
    os.machine.ioApic.route(LINE, VECTOR, DIRQL, 1);
    nic = new Driver("nic", new LabDevice(os.machine, "nic", LINE));
    disk = new Driver("disk", new LabDevice(os.machine, "disk", LINE));
    Prng prng = os.machine.prng.split("interrupts");
    startDriver(os, nic, prng.split("nic"));
    startDriver(os, disk, prng.split("disk"));
  }

  private static void startDriver(Ntos os, Driver d, Prng delays) {
    Kernel ke = os.kernel;
    SyncServices sync = os.syncServices;
    os.ps.createSystemThread(d.name + " DriverEntry", d.name + "!DriverEntry", 12, () -> {
      long[] handle = new long[1];
      d.eventStatus = sync.ZwCreateEvent(handle, SyncObjectTypes.EVENT_ALL_ACCESS,
          ObjectAttributes.unnamed(ObjectAttributes.OBJ_KERNEL_HANDLE),
          SyncServices.SynchronizationEvent, false);
      ObjectManager.Reference ref = os.obServices.referenceObjectByHandle(Kernel.KERNEL_MODE,
          handle[0], SyncObjectTypes.EVENT_MODIFY_STATE, sync.types().event);
      d.done = ref.body();
      d.dpc = ke.initializeDpc(d.name + "!DpcForIsr", (dpc, context, a1, a2) -> {
        d.dpcRuns++;
        d.dpcIrql = os.machine.activeCpu().irql();
        d.dpcCpus |= 1L << os.machine.activeCpu().index;
        d.sumDpcLatencyNs += os.machine.activeCpu().clockNs() - d.isrAtNs;
        ke.setEvent(d.done, 1);
      }, d, os.pool.allocateNonPaged(0x20, "Kdpc"));
      d.interrupt = ke.initializeInterrupt(d.name + "!InterruptService", (interrupt, ctx) -> {
        d.isrCalls++;
        d.isrIrql = os.machine.activeCpu().irql();
        d.isrCpus |= 1L << os.machine.activeCpu().index;
        if (!d.device.interrupting) {
          return false; // not this device's interrupt: the next on the chain may claim it
        }
        d.device.interrupting = false;
        d.claims++;
        d.isrAtNs = os.machine.activeCpu().clockNs();
        ke.insertQueueDpc(d.dpc, null, null);
        return true;
      }, d, null, VECTOR, DIRQL, DIRQL, KInterrupt.LATCHED, true, 0,
          os.pool.allocateNonPaged(0x270, "IntO"));
      d.connectStatus = ke.connectInterrupt(d.interrupt) ? NtStatus.STATUS_SUCCESS
          : NtStatus.STATUS_INVALID_PARAMETER;
      for (int i = 0; i < REQUESTS; i++) {
        long delay = delays.nextLong(200_000L, 2_000_000L);
        ke.synchronizeExecution(d.interrupt, context -> {
          d.device.startOperation(delay); // program the device under its interrupt's lock
          return true;
        }, d);
        int status = os.obServices.ZwWaitForSingleObject(handle[0], false, Long.MIN_VALUE);
        if (status == NtStatus.STATUS_WAIT_0) {
          d.completed++;
        }
      }
      ke.disconnectInterrupt(d.interrupt);
      os.ob.dereference(ref.header());
      os.obServices.ZwClose(handle[0]);
      return 0;
    });
  }

  @Override
  public boolean finished(Ntos os) {
    return nic.completed + disk.completed == 2 * REQUESTS || os.machine.stopped();
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    out.printf("interrupts: line %d of the I/O APIC routed to vector %02x at DIRQL %d for"
        + " processor 0; the line was raised %d times%n", LINE, VECTOR, DIRQL,
        os.machine.ioApic.raisedCount(LINE));
    out.printf("%-6s %9s %9s %7s %7s %-16s %17s %5s %5s%n", "driver", "completed",
        "ISR calls", "claims", "DPCs", "ISR IRQL", "ISR to DPC (us)", "conn", "event");
    for (Driver d : new Driver[] {nic, disk}) {
      out.printf("%-6s %9d %9d %7d %7d %-16s %17.2f %5s %5s%n", d.name, d.completed,
          d.isrCalls, d.claims, d.dpcRuns, Irql.name(d.isrIrql),
          mean(d.sumDpcLatencyNs, d.dpcRuns), ok(d.connectStatus), ok(d.eventStatus));
    }
    out.printf("DPC IRQL: nic %s, disk %s; unexpected interrupts on processor 0: %d%n",
        Irql.name(nic.dpcIrql), Irql.name(disk.dpcIrql), os.kernel.prcb(0).unexpectedInterrupts());
    out.printf("ISR calls that were not the device's own: nic %d, disk %d%n",
        nic.isrCalls - nic.claims, disk.isrCalls - disk.claims);
    out.printf("processors the ISRs ran on: %s; the DPCs: %s%n",
        processors(nic.isrCpus | disk.isrCpus), processors(nic.dpcCpus | disk.dpcCpus));
    out.println("Windows Internals expects: interrupt objects that share a vector are chained and"
        + " called in connection order; an ISR that did not interrupt returns FALSE; for a latched"
        + " (edge-triggered) vector the chain is walked again after any pass with a claim, so each"
        + " ISR is called at least twice per interrupt; each ISR runs at its synchronize IRQL (the"
        + " DIRQL here), does little and queues a DPC, which runs at DISPATCH_LEVEL after the ISRs"
        + " and wakes the waiting thread.");
    out.println("Look at it: ntsim kd interrupts, then !idt 62, !dpcs, g");
  }

  private static String processors(long mask) {
    StringBuilder s = new StringBuilder();
    for (int cpu = 0; cpu < 64; cpu++) {
      if ((mask & 1L << cpu) != 0) {
        s.append(s.isEmpty() ? "" : ", ").append(cpu);
      }
    }
    return s.isEmpty() ? "none" : s.toString();
  }

  private static double mean(long sumNs, long n) {
    return n == 0 ? 0 : sumNs / 1000.0 / n;
  }

  private static String ok(int status) {
    return status == NtStatus.STATUS_SUCCESS ? "ok" : String.format("%08x", status);
  }
}
