package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one sentence on standard error and a documented exit code. Stack traces only with
 * {@code --debug}: the engine's messages never contain a PIN, and neither do the exceptions below them.
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(message(e));
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** picocli would echo an unknown {@code --pin=1234} back, PIN included; this never does. */
    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched
                && unmatched.getUnmatched().stream().anyMatch(a -> a.startsWith("--pin"))) {
            return "There is no --pin option: give the PIN through --pin-env VAR or --pin-file FILE, never as an "
                    + "argument.";
        }
        return e.getMessage();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        int code;
        if (e instanceof SigningException s) {
            err.println(s.getMessage());
            code = ExitCodes.of(s.kind());
        } else if (e instanceof IOException) {
            err.println("A file cannot be read or written: " + e + ".");
            code = ExitCodes.INPUT;
        } else {
            err.println("hsmsign failed unexpectedly: " + e + ".");
            code = ExitCodes.INTERNAL;
        }
        if (debug(command)) {
            e.printStackTrace(err);
        } else if (code == ExitCodes.INTERNAL) {
            err.println("Run it again with --debug to see where.");
        }
        err.flush();
        return code;
    }

    private static boolean debug(CommandLine command) {
        CommandLine root = command;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getCommand() instanceof HsmSign app && app.debug;
    }
}
