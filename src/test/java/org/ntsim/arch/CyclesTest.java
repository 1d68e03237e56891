package org.ntsim.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md section 1: no cycle between packages. Each package (a subpackage counts as its own
 * slice: {@code ex} and {@code ex.sync} are two) may use another only if that one does not use it
 * back, directly or through others; a failure names the slices of each cycle and the
 * dependencies that close it.
 */
@AnalyzeClasses(packages = "org.ntsim", importOptions = ImportOption.DoNotIncludeTests.class)
class CyclesTest {

  @ArchTest
  static final ArchRule noCycleBetweenPackages = slices().matching("org.ntsim.(**)")
      .should().beFreeOfCycles()
      .because("a package that uses one which uses it back cannot be understood, tested or"
          + " replaced alone; to reach upwards, have the upper package register a callback or"
          + " pass an interface defined in the lower one");
}
