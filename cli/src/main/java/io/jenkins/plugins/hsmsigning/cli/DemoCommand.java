package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.cli.demo.ChildJvm;
import io.jenkins.plugins.hsmsigning.cli.demo.SoftHsmDemoToken;
import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.SigningException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hsmsign demo}: the whole product with nothing to set up. With SoftHSM2 installed the key lives on a
 * throwaway token, and SoftHSM2 finds it only through {@code SOFTHSM2_CONF} in the process environment, which Java
 * cannot set: so the demo starts itself again in a child JVM with the variable set (hidden {@code --in-child}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        versionProvider = HsmSign.Version.class,
        description = {"Shows everything working with a throwaway key: a SoftHSM2 token when SoftHSM2 is installed, "
                + "else a PKCS#12 key. Signs sample artifacts, verifies them, changes a byte in one and shows that "
                + "verification catches it, and writes the report as JSON and HTML. Never uses the network."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    HsmSign app;

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Work in DIR (created if needed) instead of a new temporary directory.")
    Path dir;

    /** Set by the parent JVM, which has already created the directory and set SOFTHSM2_CONF for it. */
    @Option(names = "--in-child", paramLabel = "DIR", hidden = true)
    Path inChild;

    /** Forces the fallback, so that tests cover it on machines that have SoftHSM2. */
    @Option(names = "--pkcs12", hidden = true)
    boolean pkcs12;

    @Override
    public Integer call() throws Exception {
        Path work = inChild != null ? app.resolve(inChild)
                : dir != null ? Files.createDirectories(app.resolve(dir))
                : Files.createTempDirectory("hsmsign-demo-").toAbsolutePath();
        Optional<Path> softHsm = pkcs12 ? Optional.empty() : SoftHsmDemoToken.library();
        if (softHsm.isPresent() && !SoftHsmDemoToken.configuredFor(work)) {
            if (inChild != null) {
                throw new SigningException(Kind.CONFIGURATION, "demo --in-child needs SOFTHSM2_CONF="
                        + SoftHsmDemoToken.config(work) + " in its environment.");
            }
            List<String> arguments = new ArrayList<>(List.of("demo", "--in-child", work.toString()));
            if (app.debug) {
                arguments.add("--debug");
            }
            return ChildJvm.run(HsmSign.class, arguments,
                    Map.of("SOFTHSM2_CONF", SoftHsmDemoToken.config(work).toString()),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        return new DemoScenario(app, spec.commandLine().getOut(), spec.commandLine().getErr(), work).run(softHsm.orElse(null));
    }
}
