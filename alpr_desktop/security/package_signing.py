"""The store's evidence-package signing key: Ed25519, its private half wrapped under a key
derived from the store's data key, and a self-signed X.509 certificate for PAdES.

Anyone who can open the store can sign a package with it (the analyst who builds one is not
the custodian, whose checkpoint key needs the custodian's password); what it proves to the
recipient is that the package left this store unchanged, and the access log records every
package it signed. The certificate is self-signed (no certificate authority vouches for it):
the recipient checks the key's fingerprint, printed on the package and given out of band.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

from alpr_desktop.security.checkpoints import fingerprint

_WRAP_INFO = b"alpr-desktop evidence package signing key v1"


class PackageKeyError(Exception):
    """The stored package key cannot be unwrapped (damaged, or another store's)."""


def _kek(data_key: bytes, store_id: str) -> bytes:
    return HKDF(hashes.SHA256(), 32, store_id.encode("utf-8"), _WRAP_INFO).derive(data_key)


class PackageSigningKey:
    """An Ed25519 key pair; the private key leaves this object only wrapped."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private

    @classmethod
    def generate(cls) -> PackageSigningKey:
        return cls(Ed25519PrivateKey.generate())

    @property
    def public_raw(self) -> bytes:
        return self._private.public_key().public_bytes(serialization.Encoding.Raw,
                                                       serialization.PublicFormat.Raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_raw)

    def public_pem(self) -> bytes:
        return self._private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, data: bytes) -> bytes:
        """A detached Ed25519 signature over exactly ``data`` (no prefix, so any Ed25519
        verifier checks it: ``openssl pkeyutl -verify -rawin``)."""
        return self._private.sign(data)

    def private_pkcs8_der(self) -> bytes:
        """For pyHanko's signer only, in memory."""
        return self._private.private_bytes(serialization.Encoding.DER,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption())

    def wrap(self, data_key: bytes, store_id: str) -> str:
        raw = self._private.private_bytes(serialization.Encoding.Raw,
                                          serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption())
        nonce = os.urandom(12)
        sealed = AESGCM(_kek(data_key, store_id)).encrypt(nonce, raw, self.public_raw)
        return json.dumps({"v": 1, "nonce": base64.b64encode(nonce).decode(),
                           "sealed": base64.b64encode(sealed).decode()})

    @classmethod
    def unwrap(cls, wrapped: str, public_raw: bytes, data_key: bytes,
               store_id: str) -> PackageSigningKey:
        try:
            d = json.loads(wrapped)
            raw = AESGCM(_kek(data_key, store_id)).decrypt(
                base64.b64decode(d["nonce"]), base64.b64decode(d["sealed"]), public_raw)
            key = cls(Ed25519PrivateKey.from_private_bytes(raw))
        except Exception as exc:  # any failure means the same: this key cannot be used
            raise PackageKeyError("The store's package signing key cannot be opened; it is "
                                  "damaged or belongs to another store.") from exc
        if key.public_raw != public_raw:
            raise PackageKeyError("The store's package signing key does not match its "
                                  "public key.")
        return key

    def self_signed_certificate(self, common_name: str, now: dt.datetime) -> bytes:
        """A DER X.509 certificate for this key, issued by itself (for PAdES)."""
        name = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "City of Carson ALPR evidence"),
        ])
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(self._private.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(self._private, None)
        )
        return cert.public_bytes(serialization.Encoding.DER)


def pades_sign(pdf: bytes, key: PackageSigningKey, certificate_der: bytes, *, reason: str,
               location: str) -> bytes:
    """``pdf`` with a PAdES baseline signature (pyHanko) over the whole file."""
    from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_pkcs8_der()),
        cert_registry=SimpleCertificateStore(),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="EvidencePackageSignature", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason[:200], location=location[:200], name="City of Carson ALPR store")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())

