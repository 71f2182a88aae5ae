package org.greenwave.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the compiled main classes of every module on this classpath
 * (all but {@code benchmarks}): a class that reaches where its module must not fails the build, naming the class and
 * the dependency.
 *
 * <p>What {@code app} may reach: {@code core}, {@code forecast}, {@code network-import}, {@code sim-harness} and
 * {@code controller-adapters}; never {@code test-support}. Of the adapters it reaches {@code adapters.mqtt},
 * {@code adapters.field} and {@code adapters.traci} directly today, from the classes listed in
 * {@link #APP_CLASSES_REACHING_ADAPTERS}: the engine has no field port yet for them to go through. The list may only
 * shrink: a new class of {@code app} that names an adapter fails, and so does a listed class that no longer does.
 */
class ModuleDependencyTest {

    private static final String CORE = "org.greenwave.core..";
    private static final String FORECAST = "org.greenwave.forecast..";
    private static final String NETIMPORT = "org.greenwave.netimport..";
    private static final String ADAPTERS = "org.greenwave.adapters..";
    private static final String HARNESS = "org.greenwave.harness..";
    private static final String APP = "org.greenwave.app..";
    private static final String TEST_SUPPORT = "org.greenwave.testsupport..";
    private static final String GREENWAVE = "org.greenwave..";

    /**
     * The classes of {@code app} that name an adapter's class directly rather than a port in {@code core}: what the
     * field port has still to take over. Beside each, the adapter classes it names.
     */
    static final Set<String> APP_CLASSES_REACHING_ADAPTERS = Set.of(
            // mqtt: EmbeddedBroker, MqttEngineGateway, MqttGatewayOptions, MqttTls, MessageSigner, Topics,
            // DetectorPayloadKind: the composition root of serve, where MQTT is chosen and its gateway and embedded
            // broker are built and described; from there on it hands the dashboard and the status line the port.
            "org.greenwave.app.ServeCommand",
            // mqtt: SigningKeys, Topics: greenwave.yaml's plans and topics sections.
            "org.greenwave.app.ServeConfig",
            // mqtt: Topics, DetectorPayloadKind: inspect prints each detector's MQTT topic.
            "org.greenwave.app.InspectCommand",
            "org.greenwave.app.SignalInspection",
            // mqtt: SigningKeys: greenwave keys generate.
            "org.greenwave.app.KeysCommand",
            // mqtt: PasswordFile: greenwave broker-passwd.
            "org.greenwave.app.BrokerPasswdCommand",
            // traci: TraciException: the exit code and message of a failed SUMO connection.
            "org.greenwave.app.Main");

    /** Main classes only: test classes and the controller-adapters test jar may use anything. */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.greenwave");

    @Test
    void coreDependsOnNoOtherModuleAndNoIoLibrary() {
        classes().that().resideInAPackage(CORE)
                .should().onlyDependOnClassesThat().resideInAnyPackage(CORE, "java..", "org.jctools..",
                        "org.HdrHistogram..")
                .because("the engine is the same live and under SUMO: no adapter (MQTT, TraCI/SUMO, field), no "
                        + "harness, no app, no Jetty, Paho, HiveMQ or Jackson")
                .check(CLASSES);
    }

    @Test
    void forecastDependsOnCoreOnly() {
        classes().that().resideInAPackage(FORECAST)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GREENWAVE)
                        .or(resideInAnyPackage(CORE, FORECAST)))
                .because("forecasters plug into the engine's forecast step and see nothing else of Greenwave")
                .check(CLASSES);
    }

    @Test
    void networkImportDependsOnCoreOnly() {
        classes().that().resideInAPackage(NETIMPORT)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GREENWAVE)
                        .or(resideInAnyPackage(CORE, NETIMPORT)))
                .because("serve reads a network without the simulation harness, the app or an adapter")
                .check(CLASSES);
    }

    @Test
    void adaptersDependOnCoreOnly() {
        classes().that().resideInAPackage(ADAPTERS)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GREENWAVE)
                        .or(resideInAnyPackage(CORE, ADAPTERS)))
                .because("an adapter is the engine's edge to one protocol, beside the others")
                .check(CLASSES);
    }

    @Test
    void theHarnessDoesNotReachTheApp() {
        noClasses().that().resideInAPackage(HARNESS)
                .should().dependOnClassesThat().resideInAPackage(APP)
                .check(CLASSES);
    }

    @Test
    void noMainCodeReachesTestSupport() {
        noClasses().that().resideInAPackage(GREENWAVE).and().resideOutsideOfPackage(TEST_SUPPORT)
                .should().dependOnClassesThat().resideInAPackage(TEST_SUPPORT)
                .because("test-support is a test-scoped module (benchmarks excepted)")
                .check(CLASSES);
    }

    @Test
    void appReachesEveryModuleButTestSupport() {
        classes().that().resideInAPackage(APP)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(GREENWAVE)
                        .or(resideInAnyPackage(CORE, FORECAST, NETIMPORT, HARNESS, ADAPTERS, APP)))
                .check(CLASSES);
    }

    @Test
    void appReachesAdaptersOnlyFromTheListedClasses() {
        noClasses().that().resideInAPackage(APP)
                .and(not(belongToAnyOf(listed())))
                .should().dependOnClassesThat().resideInAPackage(ADAPTERS)
                .because("a new field protocol must not need edits across the CLI and the dashboard: app reaches "
                        + "adapters through the engine's port; the listed classes are what still has to move to it")
                .check(CLASSES);
    }

    @Test
    void everyListedClassStillReachesAnAdapter() {
        Set<String> reaching = new TreeSet<>();
        for (JavaClass c : CLASSES.that(resideInAnyPackage(APP))) {
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                if (d.getTargetClass().getPackageName().startsWith("org.greenwave.adapters")) {
                    reaching.add(topLevel(c).getName());
                }
            }
        }
        assertThat(reaching).as("app classes that name an adapter's class")
                .containsExactlyInAnyOrderElementsOf(APP_CLASSES_REACHING_ADAPTERS);
    }

    private static Class<?>[] listed() {
        List<Class<?>> out = new ArrayList<>();
        for (String name : APP_CLASSES_REACHING_ADAPTERS) {
            out.add(CLASSES.get(name).reflect());
        }
        return out.toArray(new Class<?>[0]);
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }
}
