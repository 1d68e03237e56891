package org.ntsim.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.ServiceTable;

/**
 * DESIGN.md section 1, the system-service layer: each Nt* service is defined once, in the
 * component that owns it, and takes the caller's previous mode; win32 only traps into the
 * service dispatcher (Kernel32 calls Ntdll, Ntdll calls the components' services); no component
 * imports win32.
 */
@AnalyzeClasses(packages = "org.ntsim", importOptions = ImportOption.DoNotIncludeTests.class)
class ServiceLayerTest {
  private static final String[] COMPONENTS = {"org.ntsim.hal..", "org.ntsim.ke..",
      "org.ntsim.ob..", "org.ntsim.ps..", "org.ntsim.ex..", "org.ntsim.mm..", "org.ntsim.io..",
      "org.ntsim.cc..", "org.ntsim.se..", "org.ntsim.init.."};

  private static JavaClasses main() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.ntsim");
  }

  private static boolean isServiceBody(JavaMethod m) {
    return m.getName().matches("Nt[A-Z]\\w*") && m.getModifiers().contains(
        com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
        && !m.getOwner().getPackageName().startsWith("org.ntsim.win32");
  }

  @ArchTest
  static final ArchRule noComponentImportsWin32 = noClasses().that()
      .resideInAnyPackage(COMPONENTS)
      .should().dependOnClassesThat().resideInAPackage("org.ntsim.win32..")
      .because("the executive serves every caller through its services; win32 is one caller");

  /** Each Nt* body outside win32 is defined by one class only, and names a real NT service. */
  @Test
  void eachServiceIsDefinedOnceInItsComponent() {
    Map<String, List<String>> owners = new TreeMap<>();
    for (JavaClass c : main()) {
      for (JavaMethod m : c.getMethods()) {
        if (isServiceBody(m)) {
          owners.computeIfAbsent(m.getName(), k -> new ArrayList<>());
          if (!owners.get(m.getName()).contains(c.getName())) {
            owners.get(m.getName()).add(c.getName());
          }
        }
      }
    }
    assertThat(owners).as("the services found").isNotEmpty();
    owners.forEach((name, classes) -> {
      assertThat(classes).as(name + " is defined by one class").hasSize(1);
      assertThat(ServiceTable.number(name)).as(name + " is in the service table")
          .isBetween(0, ServiceTable.limit() - 1);
    });
  }

  /** Every service body takes the caller's previous mode first, as NT's take PreviousMode. */
  @Test
  void everyServiceBodyTakesThePreviousModeFirst() {
    for (JavaClass c : main()) {
      for (JavaMethod m : c.getMethods()) {
        if (isServiceBody(m)) {
          assertThat(m.getRawParameterTypes()).as(m.getFullName()).isNotEmpty();
          assertThat(m.getRawParameterTypes().get(0).getName()).as(m.getFullName())
              .isEqualTo("int");
        }
      }
    }
  }

  /** Every public Nt* call of the Ntdll facade has its body in a component. */
  @Test
  void everyNtdllCallHasItsBodyInAComponent() {
    JavaClasses classes = main();
    List<String> bodies = new ArrayList<>();
    for (JavaClass c : classes) {
      for (JavaMethod m : c.getMethods()) {
        if (isServiceBody(m)) {
          bodies.add(m.getName());
        }
      }
    }
    JavaClass ntdll = classes.get("org.ntsim.win32.Ntdll");
    List<String> missing = new ArrayList<>();
    for (JavaMethod m : ntdll.getAllMethods()) {
      if (m.getName().matches("Nt[A-Z]\\w*") && m.getModifiers().contains(
          com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
          && !bodies.contains(m.getName()) && !m.getName().equals("NtCurrentTeb")) {
        missing.add(m.getName());
      }
    }
    assertThat(missing).as("Ntdll calls without a service body").isEmpty();
  }

  /**
   * Values that cross the system-call boundary as they do in NT (statuses, object attributes,
   * client IDs, information blocks): win32 may use them freely.
   */
  private static final java.util.Set<String> VALUES = java.util.Set.of("NtStatus",
      "ObjectAttributes", "MemoryBasicInformation", "ClientId", "ProcessPriorityClass",
      "ThreadBasicInformation", "ProcessBasicInformation", "PerformanceInformation",
      "ServiceTable", "ObjectHandleFlagInformation", "EventBasic", "MutantBasic",
      "SemaphoreBasic", "TimerBasic");

  private static boolean belowWin32(JavaClass owner) {
    String pkg = owner.getPackageName();
    return pkg.startsWith("org.ntsim.") && !pkg.equals("org.ntsim.win32") && !owner.isRecord()
        && !VALUES.contains(owner.getSimpleName());
  }

  /** Kernel32 reaches the kernel only through Ntdll, as kernel32.dll through ntdll.dll. */
  @ArchTest
  static final ArchRule kernel32CallsOnlyNtdll = noClasses().that()
      .haveNameMatching("org\\.ntsim\\.win32\\.Kernel32.*")
      .should().callMethodWhere(DescribedPredicate.describe("a method of the executive or kernel",
          (JavaAccess<?> a) -> belowWin32(a.getTargetOwner())))
      .because("kernel32 calls ntdll only; ntdll traps into the service dispatcher");

  /**
   * What Ntdll may call below win32: the trap ({@code SystemServices.trap} and {@code ret}), the
   * services (classes named *Services, and Nt* bodies), and what user mode reads without a trap:
   * its TEB (the current thread and process, their IDs and last error), the processor number, and
   * the CPU executing its own instructions.
   */
  private static boolean allowedForNtdll(JavaAccess<?> a) {
    JavaClass owner = a.getTargetOwner();
    if (!belowWin32(owner) || owner.getSimpleName().endsWith("Services")
        || a.getName().matches("Nt[A-Z]\\w*")) {
      return true;
    }
    String call = owner.getSimpleName() + "." + a.getName();
    return java.util.Set.of("ProcessManager.currentThread", "ProcessManager.currentProcess",
        "EThread.tid", "EThread.tebAddress", "EProcess.pid", "EProcess.commandLine", "Machine.activeCpu",
        "Kernel.spendGuestInstructions")
        .contains(call);
  }

  @ArchTest
  static final ArchRule ntdllCallsOnlyTheDispatcherAndTheServices = noClasses().that()
      .haveNameMatching("org\\.ntsim\\.win32\\.Ntdll.*")
      .should().callMethodWhere(DescribedPredicate.describe("a method that is neither the trap,"
          + " a service, nor a read of the TEB", (JavaAccess<?> a) -> !allowedForNtdll(a)))
      .because("ntdll's stubs only trap into the service dispatcher");
}
