package pk.gov.bisp.nser.loadtest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The load generator reaches Vert.x's internal API only through its one adapter, {@link VertxEventLoop}. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("pk.gov.bisp.nser.loadtest");

    @Test
    void theLoadGeneratorShouldNotUseVertxInternalApis() {
        noClasses().that().doNotHaveFullyQualifiedName(VertxEventLoop.class.getName()).should().dependOnClassesThat().resideInAnyPackage("io.vertx..impl..", "io.vertx.core.internal..")
                .because("Vert.x's internal API may change in any release: its uses stay in VertxEventLoop")
                .check(CLASSES);
    }
}
