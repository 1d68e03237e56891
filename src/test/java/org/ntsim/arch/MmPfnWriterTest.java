package org.ntsim.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The PFN database has one writer (issue 10, part 3): {@code mm.PfnLists}, as NT's page list
 * and count routines are the only code that edits MMPFN entries. {@code PfnDatabase}'s public
 * methods only read; its package-private instance methods (list links, states, counts, flags,
 * original PTE, working set index) and its fields are for {@code PfnLists} alone.
 */
@AnalyzeClasses(packages = "org.ntsim", importOptions = ImportOption.DoNotIncludeTests.class)
class MmPfnWriterTest {
  private static final String PFN_DATABASE = "org.ntsim.mm.PfnDatabase";
  private static final String WRITER = "org.ntsim.mm.PfnLists";

  private static final DescribedPredicate<JavaMethodCall> A_PFN_DATABASE_MUTATOR =
      DescribedPredicate.describe("a non-public instance method of PfnDatabase (one that edits"
              + " it)",
          call -> call.getTargetOwner().getName().equals(PFN_DATABASE)
              && call.getTarget().resolveMember()
                  .map(m -> !m.getModifiers().contains(JavaModifier.PUBLIC)
                      && !m.getModifiers().contains(JavaModifier.STATIC))
                  .orElse(false));

  private static final DescribedPredicate<JavaFieldAccess> A_PFN_DATABASE_FIELD =
      DescribedPredicate.describe("a field of PfnDatabase",
          access -> access.getTargetOwner().getName().equals(PFN_DATABASE));

  @ArchTest
  static final ArchRule onlyPfnListsEditsThePfnDatabase = noClasses()
      .that().doNotHaveFullyQualifiedName(WRITER)
      .and().doNotHaveFullyQualifiedName(PFN_DATABASE)
      .should().callMethodWhere(A_PFN_DATABASE_MUTATOR)
      .because("every list move and every share-count, reference-count, flag or working set"
          + " index change goes through mm.PfnLists (insertPage, unlinkPage, decrementShareCount,"
          + " decrementReferenceCount, ...); read the PFN database through its public methods");

  @ArchTest
  static final ArchRule noClassReachesIntoThePfnArrays = noClasses()
      .that().doNotHaveFullyQualifiedName(PFN_DATABASE)
      .should().accessFieldWhere(A_PFN_DATABASE_FIELD)
      .because("an array element written through a field read is an edit ArchUnit cannot see;"
          + " read through PfnDatabase's public methods, write through mm.PfnLists");

  /** Guards the rules above against passing vacuously: the writer does call the mutators. */
  @ArchTest
  static void theWriterCallsTheMutators(JavaClasses classes) {
    assertThat(classes.get(WRITER).getMethodCallsFromSelf())
        .anyMatch(A_PFN_DATABASE_MUTATOR::test);
  }
}
