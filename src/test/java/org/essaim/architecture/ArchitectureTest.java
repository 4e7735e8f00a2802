package org.essaim.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import org.essaim.admin.AdminAction;
import org.essaim.admin.AdminActions;

/**
 * The house rules, checked on every build. Each rule and its reason is explained in docs/architecture.md ("Rules
 * the build enforces"), beside the package map and the four flows they protect.
 */
@AnalyzeClasses(packages = "org.essaim", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheMailServerAndDeliveryPackagesImportJames = noClasses()
            .that().resideOutsideOfPackages("org.essaim.mailserver..", "org.essaim.delivery..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.james..")
            .because("the rest of Essaim reaches James through MailServerBridge");

    @ArchTest
    static final ArchRule onlyTheCryptoPackageImportsOpenPgpLibraries = noClasses()
            .that().resideOutsideOfPackage("org.essaim.crypto..")
            .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..", "org.pgpainless..")
            .because("server-side OpenPGP lives in one place, and never sees a private key");

    @ArchTest
    static final ArchRule deliveryStaysFreeOfSpring = noClasses()
            .that().resideInAPackage("org.essaim.delivery..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("delivery hooks must load into a stock James as an extension");

    @ArchTest
    static final ArchRule featurePackagesHaveNoCycles = slices()
            .matching("org.essaim.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule adminActionsAreCarriedOutOnlyThroughAdminActionsExecute = noClasses()
            .that().resideOutsideOfPackage("org.essaim.admin..")
            .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                    JavaClass.Predicates.assignableTo(AdminAction.class))).and(JavaCall.Predicates.target(
                    HasName.Predicates.name("carryOut"))))
            .because("an action's own carryOut would skip the admin check of AdminActions.execute, which only "
                    + "governance calls (docs/architecture.md, \"Admin action\")");

    @ArchTest
    static final ArchRule onlyGovernanceCarriesOutAdminActions = noClasses()
            .that().resideOutsideOfPackage("org.essaim.governance..")
            .should().callMethod(AdminActions.class, "execute", String.class, AdminAction.class)
            .because("every admin action must be a statement signed by the admin's key and written to the public log "
                    + "(governance/SignedAdminActions); a password alone must not be enough");
}
