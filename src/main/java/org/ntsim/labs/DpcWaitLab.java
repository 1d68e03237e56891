package org.ntsim.labs;

import java.io.PrintStream;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.KEvent;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.WaitReason;
import org.ntsim.win32.Ntos;

/**
 * A driver breaks the first rule of DPCs (seed 003, "Delivering a DPC": DPC routines may not wait
 * on objects). A system thread, standing for a driver's worker, queues a DPC to the last
 * processor every 80 to 120 ms (the seed picks each interval); the DPC routine does 20 us of work,
 * and on its fifth run waits on an event as if it were thread code. The kernel stops the machine
 * with ATTEMPTED_SWITCH_FROM_DPC (0xB8). Open it with {@code ntsim kd dpc-wait}, {@code g}, then
 * {@code !analyze -v}.
 */
final class DpcWaitLab implements Lab {
  private static final int FATAL_RUN = 5;

  private int dpcRuns;
  private boolean started;

  @Override
  public String name() {
    return "dpc-wait";
  }

  @Override
  public String description() {
    return "a driver's DPC routine waits on an event: bug check 0xB8 ATTEMPTED_SWITCH_FROM_DPC";
  }

  @Override
  public long timeLimitNs() {
    return 2_000_000_000L;
  }

  @Override
  public void start(Ntos os) {
    Kernel ke = os.kernel;
    KEvent never = new KEvent(false, false, os.pool.allocateNonPaged(0x10, "Evnt"));
    Kdpc dpc = ke.initializeDpc("mydriver!DpcForIsr", (d, context, a1, a2) -> {
      dpcRuns++;
      ke.spend(20_000); // the routine's legitimate work: 20 us at DISPATCH_LEVEL
      if (dpcRuns == FATAL_RUN) {
        ke.waitForSingleObject(never, WaitReason.EXECUTIVE, Kernel.KERNEL_MODE, false, -1);
      }
    }, null, os.pool.allocateNonPaged(0x20, "Kdpc"));
    ke.setTargetProcessorDpc(dpc, os.machine.cpuCount() - 1);
    org.ntsim.hal.Prng period = os.machine.prng.split("dpc-wait");
    os.ps.createSystemThread("mydriver worker", "mydriver!WorkerThread", 12, () -> {
      started = true;
      while (true) {
        ke.delayExecution(Kernel.KERNEL_MODE, false, period.nextLong(80_000_000L, 120_000_000L));
        ke.insertQueueDpc(dpc, null, null);
      }
    });
  }

  @Override
  public boolean finished(Ntos os) {
    return os.machine.stopped();
  }

  @Override
  public void report(Ntos os, PrintStream out) {
    BugCheck bc = os.kernel.bugCheck();
    out.printf("dpc-wait: the DPC ran %d times%s%n", dpcRuns, started ? "" : " (worker never ran)");
    if (bc == null) {
      out.println("no bug check: the machine is still running");
      return;
    }
    out.printf("the machine stopped at %s on processor %d with %s (0x%X)%n",
        ThreadTable.ms(bc.timeNs()), bc.cpu(), bc.name(), bc.code());
    out.printf("  parameter 1 (original thread) %08x, parameter 2 (new thread) %08x%n",
        bc.p1() & 0xFFFFFFFFL, bc.p2() & 0xFFFFFFFFL);
    out.println("Windows Internals expects: a DPC routine runs in arbitrary context at"
        + " DISPATCH_LEVEL and may not wait; trying is a bug check.");
    out.println("Inspect it: ntsim kd dpc-wait, then g, then !analyze -v");
  }
}
