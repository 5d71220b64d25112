package net.jsign.script;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jsign.SignatureUtils;
import net.jsign.asn1.authenticode.SpcSipInfo;
import net.jsign.asn1.authenticode.SpcUuid;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.cms.CMSSignedData;

/**
 * A Managed Object Format file (.mof), signed like a PowerShell script (the same subject interface package) with the
 * signature block in C comments ({@code /* SIG # Begin signature block *}{@code /}), as PowerShell's signature
 * interface and osslsigncode write it. jsign 7.4 has the machinery but no class for this kind, and its script base
 * class is package-private, hence this one class in jsign's package. The base class reads the block markers as
 * regular expressions, which C comments are not, so finding and removing the block are done here with quoted ones.
 */
public class MofScript extends SignableScript {

    private static final String START = "/* SIG # Begin signature block */";
    private static final String END = "/* SIG # End signature block */";

    private static final Pattern BLOCK = Pattern.compile("(?s)\\r\\n" + Pattern.quote(START) + "\\r\\n(.*)"
            + Pattern.quote(END) + "\\r\\n");
    private static final Pattern REMOVAL = Pattern.compile("(?s)\\r?\\n" + Pattern.quote(START) + "\\r?\\n.*"
            + Pattern.quote(END) + "\\r?\\n");

    public MofScript(File file) throws IOException {
        super(file);
    }

    @Override
    public List<CMSSignedData> getSignatures() throws IOException {
        Matcher matcher = BLOCK.matcher(getContent());
        if (!matcher.find()) {
            return new ArrayList<>();
        }
        String base64 = matcher.group(1).replace(getLineCommentStart(), "").replace(getLineCommentEnd(), "")
                .replaceAll("[\r\n]", "");
        try {
            return SignatureUtils.getSignatures(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new IOException("the signature block is not Base64", e);
        }
    }

    @Override
    protected String getContentWithoutSignatureBlock() {
        return REMOVAL.matcher(getContent()).replaceFirst("");
    }

    @Override
    boolean isByteOrderMarkSigned() {
        return true;
    }

    @Override
    String getSignatureStart() {
        return START;
    }

    @Override
    String getSignatureEnd() {
        return END;
    }

    @Override
    String getLineCommentStart() {
        return "/* ";
    }

    @Override
    String getLineCommentEnd() {
        return " */";
    }

    @Override
    ASN1Object getSpcSipInfo() {
        return new SpcSipInfo(65536, new SpcUuid("1FCC3B60-594B-084E-B724-D2C6297EF351"));
    }
}
