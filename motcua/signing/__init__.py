"""Electronic signatures on PDF documents (issue #15): PAdES signing with a PKCS#11 token or a
PKCS#12 file (pyHanko), the signing certificate checked before a signature is applied, and the
verification anyone may ask for. Pure: no models, no app of ours but the coded refusals; the
engine records who signed what (certificate fingerprint, document SHA-256) where it keeps its
events."""
