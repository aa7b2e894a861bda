package io.timbre.jobs;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of Timbre's main code, checked on the compiled classes of both modules: packages form no cycle, the
 * library ({@code timbre-pipeline}) knows nothing of the command line, and benchmarks live outside the library.
 */
class ArchitectureTest {
  private static JavaClasses main;
  private static JavaClasses library;

  @BeforeAll
  static void importClasses() {
    ImportOption mainOnly = location -> !isTestCode(location);
    main = new ClassFileImporter().withImportOption(mainOnly).importPackages("io.timbre");
    library = new ClassFileImporter().withImportOption(mainOnly).withImportOption(ArchitectureTest::isLibrary)
        .importPackages("io.timbre");
  }

  /** Test classes: Maven's test output folders and the pipeline's test-jar, which the jobs module's tests use. */
  private static boolean isTestCode(Location location) {
    return location.contains("/test-classes/") || location.contains("-tests.jar");
  }

  /** The pipeline module's classes, from its output folder in a build or its jar in a packaged reactor. */
  private static boolean isLibrary(Location location) {
    return location.contains("/pipeline/target/classes/") || location.contains("timbre-pipeline-");
  }

  @Test
  void importsBothModules() {
    // A rule over an empty import passes vacuously: prove the importer saw the library and the jobs.
    assertThat(library.size()).isGreaterThan(100);
    assertThat(main.stream().map(JavaClass::getPackageName)).contains("io.timbre.jobs", "io.timbre.ingest",
        "io.timbre.train", "io.timbre.eval");
    assertThat(library.stream().map(JavaClass::getPackageName)).doesNotContain("io.timbre.jobs")
        .contains("io.timbre.ingest", "io.timbre.train");
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.timbre.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void theLibraryDoesNotDependOnTheCommandLine() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.timbre.jobs..").check(library);
  }

  @Test
  void onlyDocumentClassesReadJsonByKey() {
    noClasses().that(not(documentClasses())).should().callMethodWhere(jsonKeyLookup())
        .because("each JSON artefact has one owner class that reads it into a typed record (through JsonDocument,"
            + " which names the file and key of a missing or ill-typed field)")
        .check(main);
  }

  /**
   * JsonDocument, through which the owners of Timbre's JSON files read them, and the owners that read their file's
   * tree directly: the metrics summary a report prints, the table's write lease and version pointer, and MedleyDB's
   * YAML metadata (a dataset file, read with Jackson's YAML tree).
   */
  private static DescribedPredicate<JavaClass> documentClasses() {
    return DescribedPredicate.describe("a document class", c -> DOCUMENT_CLASSES.contains(c.getName()
        .replaceAll("\\$.*", "")));
  }

  private static final java.util.Set<String> DOCUMENT_CLASSES = java.util.Set.of(
      "io.timbre.util.JsonDocument",
      "io.timbre.eval.MetricsDocument",
      "io.timbre.table.TableLease",
      "io.timbre.table.TableVersion",
      "io.timbre.datasets.medleydb.TrackMetadata");

  /** JsonNode.path/get/has/findValue by name: navigating a JSON tree by key. */
  private static DescribedPredicate<JavaMethodCall> jsonKeyLookup() {
    return DescribedPredicate.describe("a JSON key lookup", call -> call.getTargetOwner()
        .isAssignableTo(JsonNode.class) && java.util.Set.of("path", "get", "has", "findValue", "findPath")
        .contains(call.getName()) && call.getTarget().getRawParameterTypes().size() == 1
        && call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(String.class));
  }

  @Test
  void benchmarksAreNotInTheLibrary() {
    assertThat(library.stream().map(JavaClass::getName).filter(n -> n.startsWith("io.timbre.bench."))).isEmpty();
    assertThat(main.stream().map(JavaClass::getName)).anyMatch(n -> n.startsWith("io.timbre.bench."));
  }
}
