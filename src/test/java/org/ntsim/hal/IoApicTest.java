package org.ntsim.hal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The I/O APIC and the vectors of a processor's IDT: a raised line requests its vector on the
 * processors of its entry, a masked line's interrupt is lost, and vectors of one IRQL are taken
 * highest first, each through its own IDT entry. Uses a bare machine with no kernel attached.
 */
class IoApicTest {
  private Machine machine;
  private final List<String> taken = new ArrayList<>();

  @BeforeEach
  void bareMachine() {
    MachineConfig config = new MachineConfig();
    config.cpus = 2;
    machine = new Machine(config);
    for (int c = 0; c < 2; c++) {
      for (int v = InterruptVectors.FIRST_HARDWARE_VECTOR; v < InterruptVectors.COUNT; v++) {
        int vector = v;
        machine.cpu(c).setIdtEntry(v, (cpu, interrupted) -> taken.add(
            "cpu " + cpu.index + " vector " + Integer.toHexString(vector) + " at " + cpu.irql()));
      }
    }
  }

  @Test
  void aRaisedLineRequestsItsVectorOnEachProcessorOfItsEntry() {
    machine.ioApic.route(4, 0x71, 9, 0b10);

    machine.ioApic.raise(4, 0);
    machine.cpu(0).deliverInterrupts();
    machine.cpu(1).deliverInterrupts();

    assertThat(taken).containsExactly("cpu 1 vector 71 at 9");
    assertThat(machine.cpu(1).isVectorPending(0x71)).isFalse();
  }

  @Test
  void anInterruptOnAMaskedLineIsLost() {
    machine.ioApic.route(4, 0x71, 9, 1);
    machine.ioApic.mask(4);

    machine.ioApic.raise(4, 0);
    machine.cpu(0).deliverInterrupts();

    assertThat(taken).isEmpty();
    assertThat(machine.ioApic.lostCount()).isEqualTo(1);
  }

  @Test
  void vectorsOfOneIrqlAreTakenHighestFirstEachThroughItsEntry() {
    Cpu cpu = machine.cpu(0);
    cpu.requestVector(0x61, 9, 0);
    cpu.requestVector(0x92, 9, 0);
    cpu.requestVector(0x80, 12, 0);

    cpu.deliverInterrupts();

    assertThat(taken).containsExactly(
        "cpu 0 vector 80 at 12", "cpu 0 vector 92 at 9", "cpu 0 vector 61 at 9");
  }

  @Test
  void aVectorNotYetDueLeavesItsLevelRequestedForLater() {
    Cpu cpu = machine.cpu(0);
    cpu.requestVector(0x61, 9, 0);
    cpu.requestVector(0x62, 9, 1_000);

    cpu.deliverInterrupts();
    assertThat(taken).containsExactly("cpu 0 vector 61 at 9");
    assertThat(cpu.nextInterruptNs()).isEqualTo(1_000);
    cpu.advance(1_000);
    cpu.deliverInterrupts();

    assertThat(taken).containsExactly("cpu 0 vector 61 at 9", "cpu 0 vector 62 at 9");
  }
}
