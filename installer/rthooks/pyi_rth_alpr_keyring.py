# PyInstaller runtime hook: pin the keyring backend of this platform before the program runs.
#
# keyring picks a backend by scanning entry points and ranking every backend it can import;
# in a bundle that scan is fragile, and a config file (keyringrc.cfg) could point it at a
# plaintext backend. The bundle carries only the one backend of its platform (the spec
# excludes the others) and names it here, unconditionally: Windows Credential Manager, macOS
# Keychain, Secret Service on Linux. Where that backend cannot be reached (no D-Bus session,
# a locked keyring), keyring raises and the program treats the keyring as unusable (README:
# "No usable keyring"), never falling back to a file.
import os
import sys

if sys.platform == "win32":
    _BACKEND = "keyring.backends.Windows.WinVaultKeyring"
elif sys.platform == "darwin":
    _BACKEND = "keyring.backends.macOS.Keyring"
else:
    _BACKEND = "keyring.backends.SecretService.Keyring"
os.environ["PYTHON_KEYRING_BACKEND"] = _BACKEND
