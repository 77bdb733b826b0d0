package pk.gov.bisp.nser.server;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import pk.gov.bisp.nser.server.vertx.VertxInternals;

/**
 * The rules of ARCHITECTURE.md, checked over the server's compiled classes (not its tests): a package that breaks
 * one fails the build with the classes and lines that do.
 */
class ArchitectureTest {

    private static final String SERVER = "pk.gov.bisp.nser.server";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(SERVER);

    /** The packages under the features, bottom first; each may use only those before it (and core, libraries). */
    private static final String[] JSON = {SERVER + ".json.."};
    private static final String[] CALLER = {SERVER + ".caller.."};
    private static final String[] VERTX = {SERVER + ".vertx.."};
    private static final String[] ACCESS_LOG = {SERVER + ".accesslog..", SERVER + ".json..", SERVER + ".vertx.."};
    private static final String[] HTTP = {SERVER + ".http..", SERVER + ".accesslog..", SERVER + ".caller..",
        SERVER + ".json..", SERVER + ".vertx.."};

    @Test
    void serverPackagesShouldBeFreeOfCycles() {
        slices().matching(SERVER + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void httpPlumbingShouldNeverDependOnAFeature() {
        onlyWithin(SERVER + ".http..", HTTP);
    }

    @Test
    void bottomPackagesShouldDependOnlyOnWhatIsBelowThem() {
        onlyWithin(SERVER + ".json..", JSON);
        onlyWithin(SERVER + ".caller..", CALLER);
        onlyWithin(SERVER + ".vertx..", VERTX);
        onlyWithin(SERVER + ".accesslog..", ACCESS_LOG);
    }

    @Test
    void onlyTheCompositionRootShouldKnowTheComposition() {
        noClasses().that().resideOutsideOfPackage(SERVER).should().dependOnClassesThat().resideInAPackage(SERVER)
                .because("the root (NserServer, Wiring, ApiVerticle) builds the features; no feature reaches back")
                .check(CLASSES);
    }

    @Test
    void onlyVertxInternalsShouldUseVertxInternalApis() {
        noClasses().that().doNotHaveFullyQualifiedName(VertxInternals.class.getName())
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..impl..", "io.vertx.core.internal..")
                .because("Vert.x's internal API may change in any release: its uses stay in one adapter")
                .check(CLASSES);
    }

    /** Classes in {@code pkg} depend on no server class outside {@code allowed}. */
    private static void onlyWithin(String pkg, String... allowed) {
        classes().that().resideInAPackage(pkg).should().onlyDependOnClassesThat(
                or(resideOutsideOfPackage(SERVER + ".."), resideInAnyPackage(allowed))).check(CLASSES);
    }
}
