package org.ntsim.ke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.MachineConfig;
import org.ntsim.ps.EProcess;
import org.ntsim.win32.Ntos;

/**
 * Whose exception it is: the simulator's own code in any package is a simulator bug
 * (KernelInternalError), guest programs (the @GuestCode packages, test classes, code outside
 * org.ntsim) fail as a Windows process does, with STATUS_UNHANDLED_EXCEPTION; the first frame
 * that is not JDK code decides.
 */
class CodeOriginTest {
  private static final long MS = 1_000_000L;
  private Ntos os;

  @AfterEach
  void shutDown() {
    if (os != null) {
      os.shutdown();
    }
  }

  private static StackTraceElement frame(String className) {
    return new StackTraceElement(className, "run", null, -1);
  }

  private static boolean raisedBySimulator(String... classNames) {
    StackTraceElement[] frames = new StackTraceElement[classNames.length];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = frame(classNames[i]);
    }
    return CodeOrigin.raisedBySimulator(frames);
  }

  @Test
  void simulatorCodeInAnyPackageIsTheSimulators() {
    assertThat(raisedBySimulator("org.ntsim.io.IoManager")).isTrue();
    assertThat(raisedBySimulator("org.ntsim.se.AccessCheck")).isTrue();
    assertThat(raisedBySimulator("org.ntsim.cc.CacheMap$View")).isTrue();
    assertThat(raisedBySimulator("org.ntsim.trace.Tracer")).isTrue();
    assertThat(raisedBySimulator("org.ntsim.kd.KdConsole")).isTrue();
    assertThat(raisedBySimulator("org.ntsim.ke.Kernel")).isTrue();
  }

  @Test
  void guestPackagesAreGuestCode() {
    assertThat(raisedBySimulator("org.ntsim.labs.WaitsLab")).isFalse();
    assertThat(raisedBySimulator("org.ntsim.labs.NoSuchGuest")).isFalse();
    assertThat(raisedBySimulator("org.ntsim.labs.drivers.NoSuchDriver")).isFalse();
    assertThat(raisedBySimulator("org.ntsim.fuzz.FuzzWorld")).isFalse();
  }

  @Test
  void testClassesAndForeignCodeAreGuestCode() {
    assertThat(raisedBySimulator(CodeOriginTest.class.getName())).isFalse();
    assertThat(raisedBySimulator("com.example.MyProgram")).isFalse();
  }

  @Test
  void jdkFramesAreSkipped() {
    assertThat(raisedBySimulator("java.util.ArrayList", "jdk.internal.util.Preconditions",
        "sun.misc.Unsafe", "com.sun.Thing", "javax.Thing", "org.ntsim.io.IoManager")).isTrue();
    assertThat(raisedBySimulator("java.util.Objects", "org.ntsim.labs.WaitsLab",
        "org.ntsim.ke.Kernel")).isFalse();
    assertThat(raisedBySimulator("java.util.Objects")).isFalse();
    assertThat(raisedBySimulator()).isFalse();
  }

  @Test
  void anExceptionInAGuestEndsOnlyItsProcess() {
    os = new Ntos(new MachineConfig());
    EProcess p = os.launch("crasher.exe", ctx -> {
      throw new IllegalStateException("guest bug");
    });

    assertThat(os.runUntilExited(100 * MS, p)).isTrue();

    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_UNHANDLED_EXCEPTION).isEqualTo(0xC0000144);
    assertThat(os.machine.stopped()).isFalse();
  }

  @Test
  void anExceptionTheJdkRaisesForAGuestIsTheGuests() {
    os = new Ntos(new MachineConfig());
    EProcess p = os.launch("npe.exe", ctx -> {
      Objects.requireNonNull(null, "guest passed null");
      return 0;
    });

    assertThat(os.runUntilExited(100 * MS, p)).isTrue();

    assertThat(p.exitStatus()).isEqualTo(NtStatus.STATUS_UNHANDLED_EXCEPTION);
    assertThat(p.unhandledException()).contains("guest passed null");
  }

  @Test
  void anExceptionFromSimulatorCodeOutsideTheKernelIsAnInternalErrorNamingTheReplay() {
    MachineConfig config = new MachineConfig();
    config.seed = 42;
    os = new Ntos(config); // trace not recorded: Tracer.replay refuses, from org.ntsim.trace
    EProcess p = os.launch("tracer.exe", ctx -> {
      os.machine.tracer.replay((t, cpu, kind, a, b, c) -> { });
      return 0;
    });

    assertThatThrownBy(() -> os.runUntilExited(100 * MS, p))
        .isInstanceOf(KernelInternalError.class)
        .hasMessageContaining("seed 42")
        .hasMessageContaining("replay: the same ntsim command with --seed 42 --backend ")
        .hasMessageContaining("last events:")
        .hasRootCauseInstanceOf(IllegalStateException.class);
    assertThat(os.machine.stopped()).isTrue();
  }
}
