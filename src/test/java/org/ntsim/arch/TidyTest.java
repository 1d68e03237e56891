package org.ntsim.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;

/**
 * The "tidy" rules of STYLE.md (after TigerBeetle and FoundationDB): simulation code takes time
 * only from the machine clock, randomness only from the machine's generator, concurrency only
 * from coroutines, and never lets hash order decide what happens. Each failure says what to use
 * instead.
 *
 * <p>Simulation code is every class of org.ntsim except the command line ({@code cli}), the
 * host benchmarks ({@code bench}) and {@code hal.HandoffBackend}, the one coroutine backend that
 * runs on host threads by design.
 */
@AnalyzeClasses(packages = "org.ntsim", importOptions = ImportOption.DoNotIncludeTests.class)
class TidyTest {

  private static final DescribedPredicate<JavaClass> OUTSIDE_THE_SIMULATION =
      DescribedPredicate.describe("outside the simulation (cli, bench, HandoffBackend)",
          c -> c.getPackageName().startsWith("org.ntsim.cli")
              || c.getPackageName().startsWith("org.ntsim.bench")
              || c.getName().startsWith("org.ntsim.hal.HandoffBackend"));

  private static GivenClassesConjunction simulationCode() {
    return noClasses().that(DescribedPredicate.not(OUTSIDE_THE_SIMULATION));
  }

  private static DescribedPredicate<JavaAccess<?>> callTo(String owner, String... names) {
    return DescribedPredicate.describe(owner + "." + String.join("/", names),
        a -> a.getTargetOwner().getName().equals(owner)
            && java.util.Arrays.asList(names).contains(a.getTarget().getName()));
  }

  @ArchTest
  static final ArchRule noWallClock = simulationCode()
      .should().callMethodWhere(callTo("java.lang.System", "nanoTime", "currentTimeMillis"))
      .because("simulated time is the machine's: read Machine.nowNs() or Cpu.clockNs(), and"
          + " spend time with Kernel.spend / GuestContext.compute");

  @ArchTest
  static final ArchRule noJavaTimeClocks = simulationCode()
      .should().callMethodWhere(DescribedPredicate.describe("java.time *.now()",
          a -> a.getTargetOwner().getPackageName().equals("java.time")
              && a.getTarget().getName().equals("now")))
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.InstantSource")
      .because("the wall clock differs from run to run: use the machine clock (Machine.nowNs(),"
          + " Cpu.clockNs()); the simulated date, if ever needed, derives from it");

  @ArchTest
  static final ArchRule noHostSleeps = simulationCode()
      .should().callMethodWhere(callTo("java.lang.Thread", "sleep", "onSpinWait"))
      .orShould().callMethodWhere(callTo("java.util.concurrent.locks.LockSupport", "park",
          "parkNanos", "parkUntil"))
      .because("host time does not pass in the simulation: wait with KeDelayExecutionThread or"
          + " Sleep on the simulated clock, or run the machine (Ntos.runFor)");

  @ArchTest
  static final ArchRule noHostRandomness = simulationCode()
      .should().dependOnClassesThat().areAssignableTo(java.util.Random.class)
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
      .orShould().dependOnClassesThat()
      .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
      .orShould().dependOnClassesThat()
      .haveFullyQualifiedName("java.util.random.RandomGenerator")
      .orShould().callMethodWhere(callTo("java.lang.Math", "random"))
      .orShould().callMethodWhere(callTo("java.lang.StrictMath", "random"))
      .orShould().callMethodWhere(callTo("java.util.UUID", "randomUUID"))
      .because("every random draw must come from the run's seed: use machine.prng, or a stream"
          + " of your own with Prng.split(\"name\") so that your draws shift nobody else's");

  @ArchTest
  static final ArchRule noHostThreads = simulationCode()
      .should().callConstructorWhere(DescribedPredicate.describe("a Thread constructor",
          a -> a.getTargetOwner().isAssignableTo(Thread.class)))
      .orShould().callMethodWhere(callTo("java.lang.Thread", "ofPlatform", "ofVirtual",
          "startVirtualThread", "start"))
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.Executors")
      .orShould().dependOnClassesThat()
      .areAssignableTo(java.util.concurrent.ExecutorService.class)
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Timer")
      .because("the machine runs on one host thread: a simulated thread is a coroutine"
          + " (ProcessManager.createThread / createSystemThread over the CoroutineBackend), and"
          + " deferred work is a DPC, a timer or a system thread");

  @ArchTest
  static final ArchRule noHashOrderedCollections = simulationCode()
      .should().dependOnClassesThat().haveFullyQualifiedName("java.util.HashMap")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.HashSet")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Hashtable")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.IdentityHashMap")
      .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.WeakHashMap")
      .orShould().dependOnClassesThat()
      .haveFullyQualifiedName("java.util.concurrent.ConcurrentHashMap")
      .because("iteration order of hash collections depends on hash codes (identity hashes differ"
          + " from run to run): use TreeMap/TreeSet, LinkedHashMap/LinkedHashSet, ArrayList, or"
          + " an array indexed by a dense id");
}
