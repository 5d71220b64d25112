package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.SigningException;
import io.jenkins.plugins.hsmsigning.engine.formats.Reasons;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.util.Locale;
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
            err.println(withPermissionHint(new CliTerms(root(command)).reword(s.getMessage()), e));
            code = ExitCodes.of(s.kind());
        } else if (e instanceof IOException) {
            err.println("A file cannot be read or written: " + Reasons.detail(e) + ".");
            code = ExitCodes.INPUT;
        } else {
            err.println("hsmsign failed unexpectedly: " + e + ".");
            code = ExitCodes.INTERNAL;
        }
        if (root(command).debug) {
            e.printStackTrace(err);
        } else if (code == ExitCodes.INTERNAL) {
            err.println("Run it again with --debug to see where.");
        }
        err.flush();
        return code;
    }

    /** "Cannot be read" alone leaves a person guessing; a denied access is said to be one. */
    static String withPermissionHint(String message, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AccessDeniedException denied
                    && !message.toLowerCase(Locale.ROOT).contains("permission denied")) {
                return message + " Permission denied: the user running hsmsign may not access " + denied.getFile()
                        + ".";
            }
        }
        return message;
    }

    private static HsmSign root(CommandLine command) {
        CommandLine root = command;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return (HsmSign) root.getCommand();
    }
}
