package org.ntsim.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md section 1: imports point down only, {@code cli, kd, labs, bench, fuzz -> win32 -> init
 * -> io, cc, mm, ps, ob, se, ex -> ke -> hal}, and {@code trace} is used by every layer and uses
 * none. {@code init} boots the executive and binds the service table.
 * A layer may use any layer below it, not only the next one; packages of one layer may use each
 * other. Layers whose packages do not exist yet are allowed to be empty.
 */
@AnalyzeClasses(packages = "org.ntsim", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  /** Guards the rules below against passing vacuously (an ArchUnit too old for the class files). */
  @ArchTest
  static void theSimulationClassesAreImported(JavaClasses classes) {
    assertThat(classes.containPackage("org.ntsim.ke")).isTrue();
    assertThat(classes.contain("org.ntsim.hal.Machine")).isTrue();
    assertThat(classes.contain("org.ntsim.win32.Kernel32")).isTrue();
  }

  @ArchTest
  static final ArchRule importsPointDownOnly = layeredArchitecture()
      .consideringOnlyDependenciesInLayers()
      .withOptionalLayers(true)
      .layer("Tools").definedBy("org.ntsim.cli..", "org.ntsim.kd..", "org.ntsim.labs..",
          "org.ntsim.bench..", "org.ntsim.fuzz..")
      .layer("Win32").definedBy("org.ntsim.win32..")
      .layer("Init").definedBy("org.ntsim.init..")
      .layer("Executive").definedBy("org.ntsim.io..", "org.ntsim.cc..", "org.ntsim.mm..",
          "org.ntsim.ps..", "org.ntsim.ob..", "org.ntsim.se..", "org.ntsim.ex..")
      .layer("Kernel").definedBy("org.ntsim.ke..")
      .layer("Hal").definedBy("org.ntsim.hal..")
      .layer("Trace").definedBy("org.ntsim.trace..")
      .whereLayer("Tools").mayNotBeAccessedByAnyLayer()
      .whereLayer("Win32").mayOnlyBeAccessedByLayers("Tools")
      .whereLayer("Init").mayOnlyBeAccessedByLayers("Tools", "Win32")
      .whereLayer("Executive").mayOnlyBeAccessedByLayers("Tools", "Win32", "Init")
      .whereLayer("Kernel").mayOnlyBeAccessedByLayers("Tools", "Win32", "Init", "Executive")
      .whereLayer("Hal").mayOnlyBeAccessedByLayers("Tools", "Win32", "Init", "Executive",
          "Kernel")
      .whereLayer("Trace").mayNotAccessAnyLayer()
      .because("DESIGN.md section 1: a layer calls only the layers below it (cli, kd, labs, bench"
          + " -> win32 -> io, cc, mm, ps, ob, se, ex -> ke -> hal) and trace depends on none;"
          + " to reach upwards, have the upper layer register a callback or pass an interface"
          + " defined in the lower layer");

  /**
   * The I/O manager sits above the object manager, the memory manager, the process manager and
   * executive support, as ps does: it uses them (object types, pool, threads), none of them uses
   * it, and the kernel and the HAL know nothing of drivers or IRPs.
   */
  @ArchTest
  static final ArchRule theIoManagerSitsAboveTheOtherExecutiveComponents = classes()
      .that().resideInAnyPackage("org.ntsim.ob..", "org.ntsim.mm..", "org.ntsim.ps..",
          "org.ntsim.ex..", "org.ntsim.ke..", "org.ntsim.hal..")
      .should().onlyDependOnClassesThat().resideOutsideOfPackage("org.ntsim.io..")
      .because("drivers, devices and IRPs are built on objects, pool and threads; a component"
          + " below io that needs it takes a callback that io registers");

  /**
   * Executive support sits on the kernel alone: the pool and ex's other mechanisms
   * ({@code org.ntsim.ex} itself) use only ke and hal (and trace), so that every executive
   * component can allocate from the pool. What of ex needs the object manager (the
   * synchronisation object types) lives in {@code org.ntsim.ex.sync}, which this rule leaves out.
   */
  @ArchTest
  static final ArchRule executiveSupportUsesOnlyTheKernelAndHal = classes()
      .that().resideInAPackage("org.ntsim.ex")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.ntsim.ex",
          "org.ntsim.ke..", "org.ntsim.hal..", "org.ntsim.trace..")
      .because("the pool and the other executive support routines serve ob, ps, mm and io, so"
          + " they may call only the kernel and the HAL; code of ex that needs ob goes in"
          + " org.ntsim.ex.sync");
}
