package io.jenkins.plugins.hsmsigning.engine.report;

/** The outcome of one operation on one artifact in one format. */
public enum Status {
    SIGNED,
    VERIFIED,
    FAILED
}
