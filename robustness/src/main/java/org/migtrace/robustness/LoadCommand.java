package org.migtrace.robustness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -cp ... org.migtrace.robustness.LoadCommand [RATE [SECONDS [SCENARIO [MIGTRACE...]]]]}:
 * runs {@link LiveLoad} (default: 1,000,000 lines/s for 30 s of nic-converges' capture into
 * {@code bin/migtrace}) and prints its report; exits 1 when the trace lacks events or the consumer
 * failed. docs/bad-input.md says how to build and run it.
 */
public final class LoadCommand {
    private LoadCommand() {
    }

    public static void main(String[] args) throws Exception {
        long rate = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 30;
        String scenario = args.length > 2 ? args[2] : "nic-converges";
        List<String> consumer = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("bin/migtrace");
        Path dir = Files.createTempDirectory("migtrace-live-load");
        Path trace = dir.resolve("trace");
        LiveLoad.Result r = LiveLoad.run(new LiveLoad.Settings(rate, seconds, scenario, consumer), trace);
        System.out.print(LiveLoad.describe(r));
        LiveLoad.Landed landed = LiveLoad.landed(r);
        System.out.println(landed.describe());
        System.out.println("trace: " + trace);
        System.exit(r.exit() == 0 && landed.all() ? 0 : 1);
    }
}
