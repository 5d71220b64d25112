// Test-only: verifies a Sigstore bundle with the Sigstore project's JavaScript verifier (@sigstore/verify), as a
// consumer without our code would: key-based trust (the PEM public key given), no transparency log, no timestamp.
// Then, like `cosign verify-blob-attestation`, checks that each artifact's SHA-256 is a subject of the statement.
//
//   node verify-bundle.js BUNDLE.sigstore.json PUBLIC_KEY.pem [ARTIFACT...]
//
// Exit code 0 and "VERIFIED" when everything holds; 1 and "REJECTED: <reason>" otherwise.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { bundleFromJSON, assertBundleLatest } = require('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

function main([bundlePath, keyPath, ...artifacts]) {
  const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
  assertBundleLatest(bundle);
  const publicKey = crypto.createPublicKey(fs.readFileSync(keyPath, 'utf8'));
  const emptyRoot = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };
  const trust = toTrustMaterial(emptyRoot, () => ({ publicKey, validFor: () => true }));
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  verifier.verify(toSignedEntity(bundle));

  const envelope = bundle.content.dsseEnvelope;
  if (envelope.payloadType !== 'application/vnd.in-toto+json') {
    throw new Error(`payload type ${envelope.payloadType}`);
  }
  const statement = JSON.parse(envelope.payload.toString('utf8'));
  if (statement._type !== 'https://in-toto.io/Statement/v1') {
    throw new Error(`statement type ${statement._type}`);
  }
  const digests = new Set(statement.subject.map((s) => s.digest.sha256));
  for (const artifact of artifacts) {
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(artifact)).digest('hex');
    if (!digests.has(sha256)) {
      throw new Error(`${artifact} (sha256 ${sha256}) is not a subject of the statement`);
    }
  }
  console.log(`VERIFIED ${statement.predicateType}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.log(`REJECTED: ${e.code ? e.code + ': ' : ''}${e.message}`);
  process.exit(1);
}
