package org.ntsim.hal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A processor's interrupt controller and IRQL register: a request at level L is taken only while
 * the IRQL is below L and once the CPU's clock has reached the request's time, highest level
 * first, each handler running at its own level. Uses a bare machine with no kernel attached.
 */
class CpuInterruptTest {
  private Machine machine;
  private Cpu cpu;
  private final List<String> taken = new ArrayList<>();

  @BeforeEach
  void bareMachine() {
    machine = new Machine(new MachineConfig());
    cpu = machine.cpu(0);
    for (int level = 1; level < Irql.LEVELS; level++) {
      int l = level;
      cpu.setHandler(level, (c, interrupted) -> taken.add(
          Irql.name(l) + " at " + Irql.name(c.irql()) + " from " + Irql.name(interrupted)));
    }
  }

  @Test
  void deviceInterruptAboveTheIrqlIsTakenAtItsOwnLevel() {
    cpu.setIrql(Irql.DISPATCH_LEVEL);
    cpu.requestInterrupt(5, cpu.clockNs());

    assertThat(cpu.highestDeliverable()).isEqualTo(5);
    cpu.deliverInterrupts();

    assertThat(taken).containsExactly("DEVICE_LEVEL_5 at DEVICE_LEVEL_5 from DISPATCH_LEVEL");
    assertThat(cpu.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(cpu.isPending(5)).isFalse();
  }

  @Test
  void interruptAtOrBelowTheIrqlWaitsUntilTheIrqlDrops() {
    cpu.setIrql(Irql.CLOCK_LEVEL);
    cpu.requestInterrupt(Irql.CLOCK_LEVEL, cpu.clockNs());
    cpu.requestInterrupt(10, cpu.clockNs());

    assertThat(cpu.highestDeliverable()).isEqualTo(-1);
    cpu.deliverInterrupts();
    assertThat(taken).isEmpty();

    cpu.setIrql(Irql.PASSIVE_LEVEL);
    cpu.deliverInterrupts();
    assertThat(taken).containsExactly("CLOCK2_LEVEL at CLOCK2_LEVEL from PASSIVE_LEVEL",
        "DEVICE_LEVEL_10 at DEVICE_LEVEL_10 from PASSIVE_LEVEL");
  }

  @Test
  void apcLevelSoftwareInterruptIsDeliveredWhenTheIrqlDropsBelowApcLevel() {
    cpu.setIrql(Irql.APC_LEVEL);
    cpu.requestSoftwareInterrupt(Irql.APC_LEVEL);
    assertThat(cpu.highestDeliverable()).isEqualTo(-1);

    cpu.setIrql(Irql.DISPATCH_LEVEL);
    assertThat(cpu.highestDeliverable()).isEqualTo(-1);

    cpu.setIrql(Irql.PASSIVE_LEVEL);
    assertThat(cpu.highestDeliverable()).isEqualTo(Irql.APC_LEVEL);
    cpu.deliverInterrupts();
    assertThat(taken).containsExactly("APC_LEVEL at APC_LEVEL from PASSIVE_LEVEL");
    assertThat(cpu.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
  }

  @Test
  void apcLevelSoftwareInterruptRequestedAtPassiveLevelIsDeliverableAtOnce() {
    cpu.requestSoftwareInterrupt(Irql.APC_LEVEL);

    assertThat(cpu.highestDeliverable()).isEqualTo(Irql.APC_LEVEL);
    cpu.deliverInterrupts();
    assertThat(taken).containsExactly("APC_LEVEL at APC_LEVEL from PASSIVE_LEVEL");
  }

  @Test
  void pendingInterruptsAreTakenHighestLevelFirst() {
    cpu.requestInterrupt(Irql.APC_LEVEL, 0);
    cpu.requestInterrupt(Irql.DISPATCH_LEVEL, 0);
    cpu.requestInterrupt(4, 0);
    cpu.requestInterrupt(Irql.IPI_LEVEL, 0);

    cpu.deliverInterrupts();

    assertThat(taken).extracting(s -> s.substring(0, s.indexOf(' '))).containsExactly(
        "IPI_LEVEL", "DEVICE_LEVEL_4", "DISPATCH_LEVEL", "APC_LEVEL");
  }

  @Test
  void interruptRequestedForALaterTimeWaitsForTheClock() {
    cpu.beginSlice(50_000);
    cpu.requestInterrupt(7, 1_000);

    assertThat(cpu.highestDeliverable()).isEqualTo(-1);
    assertThat(cpu.nextInterruptNs()).isEqualTo(1_000);
    cpu.advance(999);
    assertThat(cpu.mustYield()).isFalse();
    cpu.advance(1);
    assertThat(cpu.highestDeliverable()).isEqualTo(7);
    assertThat(cpu.mustYield()).isTrue();
  }

  @Test
  void twoRequestsAtOneLevelBeforeServiceAreOneInterrupt() {
    cpu.requestInterrupt(6, 0);
    cpu.requestInterrupt(6, 0);

    cpu.deliverInterrupts();

    assertThat(taken).hasSize(1);
  }

  @Test
  void hardwareInterruptTimeIsChargedToInterruptTime() {
    cpu.setCategory(TimeCategory.USER);
    cpu.requestInterrupt(8, 0);

    cpu.deliverInterrupts();

    assertThat(cpu.exactNs(TimeCategory.INTERRUPT)).isEqualTo(machine.cost.interruptDispatchNs);
    assertThat(cpu.exactNs(TimeCategory.USER)).isZero();
    assertThat(cpu.category()).isEqualTo(TimeCategory.USER);
    assertThat(cpu.interruptCount()).isEqualTo(1);
  }

  @Test
  void handlerMayChooseTheIrqlToReturnTo() {
    cpu.setHandler(Irql.DISPATCH_LEVEL, (c, interrupted) -> c.setReturnIrql(Irql.APC_LEVEL));
    cpu.requestInterrupt(Irql.DISPATCH_LEVEL, 0);

    cpu.deliverInterrupts();

    assertThat(cpu.irql()).isEqualTo(Irql.APC_LEVEL);
  }

  /**
   * A DPC that spends time at DISPATCH_LEVEL takes the clock interrupt in the middle (the kernel's
   * busy time at raised IRQL delivers interrupts above it): when the clock handler returns to
   * DISPATCH_LEVEL, the DPC's own interrupt must still return to the level it interrupted.
   */
  @Test
  void nestedInterruptDoesNotChangeWhereTheOuterOneReturns() {
    cpu.setHandler(Irql.DISPATCH_LEVEL, (c, interrupted) -> {
      c.requestInterrupt(Irql.CLOCK_LEVEL, c.clockNs());
      c.deliverInterrupts();
      taken.add("dispatch back at " + Irql.name(c.irql()));
    });
    cpu.requestInterrupt(Irql.DISPATCH_LEVEL, 0);

    cpu.deliverInterrupts();

    assertThat(taken).containsExactly("CLOCK2_LEVEL at CLOCK2_LEVEL from DISPATCH_LEVEL",
        "dispatch back at DISPATCH_LEVEL");
    assertThat(cpu.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
  }

  @Test
  void returnLevelChosenByAHandlerSurvivesANestedInterrupt() {
    cpu.setHandler(Irql.DISPATCH_LEVEL, (c, interrupted) -> {
      c.setReturnIrql(Irql.APC_LEVEL);
      c.requestInterrupt(9, c.clockNs());
      c.deliverInterrupts();
    });
    cpu.requestInterrupt(Irql.DISPATCH_LEVEL, 0);

    cpu.deliverInterrupts();

    assertThat(cpu.irql()).isEqualTo(Irql.APC_LEVEL);
  }
}
