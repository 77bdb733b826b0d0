package pk.gov.bisp.nser.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Core's rules (ARCHITECTURE.md), over its compiled classes: no cycle between its packages, and the bottom package
 * that every format shares ({@code format}) uses none of the packages above it.
 */
class ArchitectureTest {

    private static final String CORE = "pk.gov.bisp.nser.core";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(CORE);

    @Test
    void corePackagesShouldBeFreeOfCycles() {
        slices().matching(CORE + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theFormatPackageShouldUseNoOtherCorePackage() {
        classes().that().resideInAPackage(CORE + ".format..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(CORE + ".format..", "java..")
                .because("the file header, the format exception and the checksums are what index, snapshot and"
                        + " journal share; they must not reach back into any of them")
                .check(CLASSES);
    }

    @Test
    void coreShouldNeverDependOnTheBuilderOrTheServer() {
        noClasses().that().resideInAPackage(CORE + "..")
                .should().dependOnClassesThat().resideInAnyPackage("pk.gov.bisp.nser.builder..",
                        "pk.gov.bisp.nser.server..")
                .check(CLASSES);
    }
}
