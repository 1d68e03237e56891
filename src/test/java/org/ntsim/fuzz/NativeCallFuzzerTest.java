package org.ntsim.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ntsim.hal.Checks;
import org.ntsim.hal.MachineConfig;

/**
 * The native-call fuzzer in the default suite: a few seeds with every invariant checked after
 * every call and every slice, a host-time watchdog that names the call that hangs, and proof
 * that it finds a planted bug and replays it exactly. The long run is {@code ntsim fuzz}.
 */
class NativeCallFuzzerTest {
  private static final int SEEDS = 8;
  private static final long CALLS = 10_000;
  private static final Duration WATCHDOG = Duration.ofSeconds(120);

  private static NativeCallFuzzer.Result watched(NativeCallFuzzer fuzzer) {
    return assertTimeoutPreemptively(WATCHDOG, fuzzer::run,
        () -> "hang: no return from " + fuzzer.current() + " (seed run " + fuzzer.machine() + ")");
  }

  @Test
  void hostileCallsLeaveOnlyGuestErrorsAndEveryInvariantHolds() {
    assertThat(Checks.INVARIANTS).as("tests run with -Dntsim.invariants=true").isTrue();
    for (long seed = 1; seed <= SEEDS; seed++) {
      NativeCallFuzzer fuzzer = new NativeCallFuzzer(seed, CALLS, 1, "continuation", null);
      System.out.println("SEED=" + seed + " " + fuzzer.machine() + "  (replay: ./ntsim fuzz"
          + " --seed " + seed + " --calls " + CALLS + ")");
      NativeCallFuzzer.Result r = watched(fuzzer);
      assertThat(r.failure()).as("seed " + seed).isNull();
      assertThat(r.calls()).isEqualTo(CALLS);
    }
  }

  @Test
  void aPlantedBugIsFoundNamedAndReplayedAtTheSameCall() {
    NativeCallFuzzer.Result r = watched(new NativeCallFuzzer(1, 50_000, 1, "continuation",
        MachineConfig.PLANTED_QUERY_THROWS));
    FuzzFailure f = r.failure();
    assertThat(f).as("the planted bug is found").isNotNull();
    assertThat(f.kind()).isEqualTo(FuzzFailure.Kind.HOST_EXCEPTION);
    assertThat(f.call()).containsPattern("(NtQueryVirtualMemory|VirtualQuery|VirtualQueryEx)\\(");
    assertThat(f.detail()).contains("planted bug").contains("VirtualMemory.query");
    assertThat(f.replay()).isEqualTo("./ntsim fuzz --seed 1 --calls " + f.callNumber());

    NativeCallFuzzer.Result replay = watched(new NativeCallFuzzer(1, f.callNumber(), 1,
        "continuation", MachineConfig.PLANTED_QUERY_THROWS));
    assertThat(replay.failure()).isNotNull();
    assertThat(replay.failure().callNumber()).isEqualTo(f.callNumber());
    assertThat(replay.failure().call()).isEqualTo(f.call());
  }

  @Test
  void withoutThePlantedBugTheSameSeedPassesThatCall() {
    NativeCallFuzzer.Result planted = watched(new NativeCallFuzzer(1, 50_000, 1, "continuation",
        MachineConfig.PLANTED_QUERY_THROWS));
    long at = planted.failure().callNumber();
    NativeCallFuzzer.Result clean = watched(new NativeCallFuzzer(1, at, 1, "continuation", null));
    assertThat(clean.failure()).isNull();
    assertThat(clean.calls()).isEqualTo(at);
  }

  @Test
  void aSeedMakesTheSameRunOnBothCoroutineBackends() {
    NativeCallFuzzer.Result a = watched(new NativeCallFuzzer(3, 1_500, 1, "continuation", null));
    NativeCallFuzzer.Result b = watched(new NativeCallFuzzer(3, 1_500, 1, "threads", null));
    assertThat(a.failure()).isNull();
    assertThat(b.digest()).isEqualTo(a.digest());
    assertThat(b.processesStarted()).isEqualTo(a.processesStarted());
  }

  @Test
  void everyPublicFacadeMethodIsInTheCatalog() {
    FuzzCatalog catalog = new FuzzCatalog(org.ntsim.win32.Kernel32.class,
        org.ntsim.win32.Ntdll.class);
    assertThat(catalog.calls()).extracting(c -> c.name())
        .contains("VirtualFree", "NtFreeVirtualMemory", "WriteProcessMemory", "CreateEventW",
            "NtWaitForMultipleObjects", "DuplicateHandle", "QueueUserAPC", "NtQueryMutant",
            "NtWaitForKeyedEvent", "SetHandleInformation", "GetSystemTimeAsFileTime");
    long publicMethods = java.util.Arrays.stream(org.ntsim.win32.Kernel32.class.getMethods())
        .filter(m -> m.getDeclaringClass() == org.ntsim.win32.Kernel32.class
            && !java.lang.reflect.Modifier.isStatic(m.getModifiers()))
        .count();
    assertThat(catalog.calls().stream().filter(c -> c.facade() == 0).count())
        .isEqualTo(publicMethods);
  }
}
