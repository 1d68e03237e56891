package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntsim.win32.TestOs.MS;
import static org.ntsim.win32.TestOs.US;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Device;
import org.ntsim.hal.Irql;
import org.ntsim.hal.Machine;
import org.ntsim.trace.TraceKind;
import org.ntsim.win32.TestOs;

/**
 * KeConnectInterrupt, KeDisconnectInterrupt, KeSynchronizeExecution and the dispatch of device
 * interrupts through the IDT (WRK intobj.c and intsup.asm: KiInterruptDispatch,
 * KiChainedDispatch, KiUnexpectedInterrupt).
 */
class KeInterruptTest {
  private static final int VECTOR = 0x62;
  private static final int DIRQL = 10;

  private TestOs sys;
  private final List<String> log = new ArrayList<>();

  @AfterEach
  void shutDown() {
    if (sys != null) {
      sys.close();
    }
  }

  private Kernel kernel() {
    return sys.os.kernel;
  }

  private Machine machine() {
    return sys.os.machine;
  }

  /** A device whose interrupt is pending until its service routine clears it. */
  private static final class TestDevice extends Device {
    boolean interrupting;

    TestDevice(Machine machine, String name, int line) {
      super(machine, name, line);
    }

    void interruptIn(long ns) {
      interrupting = true;
      interruptAt(machine.activeCpu().clockNs() + ns);
    }
  }

  /** A device on {@code line}, routed to {@link #VECTOR} at {@link #DIRQL} on processor 0. */
  private TestDevice device(String name, int line) {
    machine().ioApic.route(line, VECTOR, DIRQL, 1);
    return new TestDevice(machine(), name, line);
  }

  /**
   * An interrupt object for {@code device} whose service routine logs its name and IRQL, claims
   * the interrupt if its device raised it, and then queues {@code dpc}.
   */
  private KInterrupt interruptFor(TestDevice device, int synchronizeIrql, int mode, Kdpc dpc) {
    return kernel().initializeInterrupt("test!" + device.name + "Isr", (interrupt, context) -> {
      log.add("isr " + device.name + " at " + machine().activeCpu().irql());
      if (!device.interrupting) {
        return false;
      }
      device.interrupting = false;
      if (dpc != null) {
        kernel().insertQueueDpc(dpc, null, null);
      }
      return true;
    }, device, null, VECTOR, DIRQL, synchronizeIrql, mode, true, 0,
        kernel().staticAddress(0x270));
  }

  private Kdpc loggingDpc(String name) {
    return kernel().initializeDpc(name, (dpc, context, a1, a2) ->
        log.add("dpc " + name + " at " + machine().activeCpu().irql()),
        null, kernel().staticAddress(0x20));
  }

  @Test
  void twoDevicesOnOneVectorHaveBothRoutinesCalledInOrderEachAtItsIrqlThenTheirDpcs() {
    sys = TestOs.boot(1);
    TestDevice disk = device("disk", 5);
    TestDevice nic = device("nic", 6);
    KInterrupt diskInterrupt =
        interruptFor(disk, DIRQL, KInterrupt.LATCHED, loggingDpc("disk"));
    KInterrupt nicInterrupt =
        interruptFor(nic, DIRQL + 2, KInterrupt.LATCHED, loggingDpc("nic"));
    assertThat(kernel().connectInterrupt(diskInterrupt)).isTrue();
    assertThat(kernel().connectInterrupt(nicInterrupt)).isTrue();

    disk.interruptIn(100 * US);
    nic.interruptIn(100 * US);
    sys.runFor(MS);

    // Latched: both claim in the first pass, so the chain is walked again; nobody claims then.
    assertThat(log).containsExactly(
        "isr disk at 10", "isr nic at 12", "isr disk at 10", "isr nic at 12",
        "dpc disk at 2", "dpc nic at 2");
    assertThat(sys.events(TraceKind.ISR_BEGIN)).anySatisfy(e -> {
      assertThat(e.a()).isEqualTo(DIRQL);
      assertThat(e.b()).isEqualTo(VECTOR);
    });
  }

  @Test
  void levelSensitiveChainStopsAtTheFirstRoutineThatClaims() {
    sys = TestOs.boot(1);
    TestDevice disk = device("disk", 5);
    TestDevice nic = device("nic", 6);
    kernel().connectInterrupt(interruptFor(disk, DIRQL, KInterrupt.LEVEL_SENSITIVE, null));
    kernel().connectInterrupt(interruptFor(nic, DIRQL, KInterrupt.LEVEL_SENSITIVE, null));

    nic.interruptIn(100 * US);
    sys.runFor(MS);

    assertThat(log).containsExactly("isr disk at 10", "isr nic at 10");
  }

  @Test
  void connectRefusesAVectorTakenByAnObjectThatDoesNotShareIt() {
    sys = TestOs.boot(1);
    KInterrupt exclusive = kernel().initializeInterrupt("test!Isr", (i, c) -> true, null, null,
        VECTOR, DIRQL, DIRQL, KInterrupt.LEVEL_SENSITIVE, false, 0, kernel().staticAddress(0x270));
    KInterrupt other = interruptFor(device("nic", 6), DIRQL, KInterrupt.LEVEL_SENSITIVE, null);

    assertThat(kernel().connectInterrupt(exclusive)).isTrue();
    assertThat(kernel().connectInterrupt(exclusive)).isFalse();
    assertThat(kernel().connectInterrupt(other)).isFalse();
  }

  @Test
  void synchronizeExecutionRunsAtTheSynchronizeIrqlHoldingTheSpinLock() {
    sys = TestOs.boot(1);
    KInterrupt interrupt =
        interruptFor(device("disk", 5), DIRQL + 3, KInterrupt.LEVEL_SENSITIVE, null);
    kernel().connectInterrupt(interrupt);
    int[] seen = new int[3];
    boolean[] result = new boolean[1];
    sys.systemThread("driver", 8, () -> {
      result[0] = kernel().synchronizeExecution(interrupt, context -> {
        seen[0] = machine().activeCpu().irql();
        seen[1] = interrupt.spinLock().owner();
        return true;
      }, null);
      seen[2] = machine().activeCpu().irql();
      return 0;
    });
    sys.runFor(MS);

    assertThat(result[0]).isTrue();
    assertThat(seen[0]).isEqualTo(DIRQL + 3);
    assertThat(seen[1]).isZero();
    assertThat(seen[2]).isEqualTo(Irql.PASSIVE_LEVEL);
    assertThat(interrupt.spinLock().isHeld()).isFalse();
  }

  @Test
  void disconnectTakesTheObjectOffItsVectorsChain() {
    sys = TestOs.boot(1);
    TestDevice disk = device("disk", 5);
    TestDevice nic = device("nic", 6);
    KInterrupt diskInterrupt = interruptFor(disk, DIRQL, KInterrupt.LEVEL_SENSITIVE, null);
    KInterrupt nicInterrupt = interruptFor(nic, DIRQL, KInterrupt.LEVEL_SENSITIVE, null);
    kernel().connectInterrupt(diskInterrupt);
    kernel().connectInterrupt(nicInterrupt);

    assertThat(kernel().disconnectInterrupt(diskInterrupt)).isTrue();
    assertThat(kernel().disconnectInterrupt(diskInterrupt)).isFalse();
    assertThat(machine().cpu(0).idtEntry(VECTOR)).isSameAs(nicInterrupt);
    nic.interruptIn(100 * US);
    sys.runFor(MS);

    assertThat(log).containsExactly("isr nic at 10");
    assertThat(kernel().disconnectInterrupt(nicInterrupt)).isTrue();
    assertThat(machine().cpu(0).idtEntry(VECTOR)).isInstanceOf(IdtRoutine.class);
  }

  @Test
  void anInterruptOnAVectorWithNothingConnectedIsCountedAndDismissed() {
    sys = TestOs.boot(1);
    TestDevice stray = device("stray", 7);

    stray.interruptIn(100 * US);
    sys.runFor(MS);

    assertThat(kernel().prcb(0).unexpectedInterrupts()).isEqualTo(1);
    assertThat(kernel().bugCheck()).isNull();
    assertThat(machine().stopped()).isFalse();
  }

  @Test
  void anInterruptMaskedByTheIrqlIsTakenWhenTheIrqlDrops() {
    sys = TestOs.boot(1);
    TestDevice disk = device("disk", 5);
    kernel().connectInterrupt(interruptFor(disk, DIRQL, KInterrupt.LEVEL_SENSITIVE, null));
    long[] loweredAtNs = new long[1];
    List<Long> isrAtNs = new ArrayList<>();
    sys.systemThread("driver", 8, () -> {
      int old = kernel().raiseIrql(DIRQL + 1);
      disk.interruptIn(50 * US);
      sys.compute(200 * US);
      log.add("still raised");
      loweredAtNs[0] = sys.nowNs();
      kernel().lowerIrql(old);
      return 0;
    });
    sys.runFor(MS);

    assertThat(log).containsExactly("still raised", "isr disk at 10");
    assertThat(sys.events(TraceKind.ISR_BEGIN))
        .filteredOn(e -> e.b() == VECTOR)
        .singleElement()
        .satisfies(e -> assertThat(e.timeNs()).isGreaterThanOrEqualTo(loweredAtNs[0]));
  }
}
