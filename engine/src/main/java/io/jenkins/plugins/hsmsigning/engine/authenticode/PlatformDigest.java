package io.jenkins.plugins.hsmsigning.engine.authenticode;

import io.jenkins.plugins.hsmsigning.engine.DigestAlgorithm;
import io.jenkins.plugins.hsmsigning.engine.report.Failure;
import io.jenkins.plugins.hsmsigning.engine.verify.VerificationOutcome;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the file itself fixes about the digest of its signatures, which Windows checks and jsign does not: an MSI's
 * {@code MsiDigitalSignatureEx} stream has the length of the digest it was made with ({@link MsiSignatureEx}), and an
 * APPX/MSIX package is hashed with its block map's method only ({@link AppxHashMethod}). A signature with another
 * digest verifies by jsign's arithmetic but is rejected by Windows and osslsigncode, so it fails here too.
 */
final class PlatformDigest {

    private final int msiSignatureExLength;
    private final DigestAlgorithm blockMap;

    private PlatformDigest(int msiSignatureExLength, DigestAlgorithm blockMap) {
        this.msiSignatureExLength = msiSignatureExLength;
        this.blockMap = blockMap;
    }

    /** Null when the kind fixes nothing. */
    static PlatformDigest of(AuthenticodeKind kind, Path file) throws IOException {
        if (kind == AuthenticodeKind.MSI) {
            int length = MsiSignatureEx.length(file);
            return length == 0 ? null : new PlatformDigest(length, null);
        }
        if (kind == AuthenticodeKind.APPX) {
            return new PlatformDigest(0, AppxHashMethod.of(file));
        }
        return null;
    }

    /** Null when a signature with {@code digest} fits the file. */
    VerificationOutcome check(DigestAlgorithm digest) {
        if (digest == null) {
            return null;
        }
        if (msiSignatureExLength != 0 && msiSignatureExLength != digest.length()) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the package's MsiDigitalSignatureEx stream was "
                    + "made for " + MsiSignatureEx.digestNamed(msiSignatureExLength) + ", not for this " + digest
                    + " signature, so Windows rejects the signature");
        }
        if (blockMap != null && blockMap != digest) {
            return VerificationOutcome.failed(Failure.MALFORMED, "the package is signed with " + digest + ", but "
                    + "its block map states " + blockMap + ", the only hash method Windows accepts for it");
        }
        return null;
    }
}
