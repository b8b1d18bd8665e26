# Build the Windows bundle and its installer: installer\dist\alpr-desktop\ (one folder,
# alpr-desktop.exe for the command line and the scheduled purge, alpr-desktopw.exe for the
# Start menu) and installer\dist\alpr-desktop-VERSION-setup.exe.
#
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
#
# Needs: Python 3.11+ (64-bit) on PATH as `py -3.11` or `python`, git (the version comes from
# the tag), and NSIS 3 (makensis on PATH or in its default folder). Makes .venv-build in the
# repository with the project and its `installer` extra.
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent (Split-Path -Parent $MyInvocation.MyCommand.Path)
Set-Location $Root
$Work = Join-Path $Root "installer\build"
$Dist = Join-Path $Root "installer\dist"
$Venv = Join-Path $Root ".venv-build"
$Py = Join-Path $Venv "Scripts\python.exe"

if (-not (Test-Path $Py)) {
    if (Get-Command py -ErrorAction SilentlyContinue) { & py -3.11 -m venv $Venv }
    else { & python -m venv $Venv }
    if ($LASTEXITCODE -ne 0) { throw "Could not make the build environment ($Venv)." }
}
& $Py -m pip install -q --upgrade pip
& $Py -m pip install -q -e ".[installer]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed." }

New-Item -ItemType Directory -Force -Path $Work, $Dist | Out-Null
$env:ALPR_VERSION_FILE = Join-Path $Work "VERSION"
$env:ALPR_ICON_DIR = Join-Path $Work "icons"
$env:PYTHONPATH = $Root
$Version = (& $Py installer\release_version.py --write $env:ALPR_VERSION_FILE).Trim()
if ($LASTEXITCODE -ne 0) { throw "No version: see the message above." }
& $Py installer\make_icons.py $env:ALPR_ICON_DIR | Out-Null
Write-Output "build.ps1: alpr-desktop $Version"

& $Py -m PyInstaller --noconfirm --clean --log-level WARN `
    --workpath (Join-Path $Work "pyinstaller") --distpath $Dist installer\alpr-desktop.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed." }
$Bundle = Join-Path $Dist "alpr-desktop"
New-Item -ItemType Directory -Force -Path (Join-Path $Bundle "share") | Out-Null
Copy-Item CHANGELOG.md (Join-Path $Bundle "share")
& (Join-Path $Bundle "alpr-desktop.exe") --version
if ($LASTEXITCODE -ne 0) { throw "The bundle does not start." }

$Makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $Makensis) { $Makensis = "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
$V4 = (& $Py -c "import sys; sys.path.insert(0, 'installer'); from release_version import windows_file_version as w; print('.'.join(map(str, w(sys.argv[1]))))" $Version).Trim()
$Out = Join-Path $Dist "alpr-desktop-$Version-setup.exe"
Push-Location installer\windows
& $Makensis -V2 "-DVERSION=$Version" "-DVERSION4=$V4" "-DBUNDLE=$Bundle" `
    "-DICON=$(Join-Path $env:ALPR_ICON_DIR 'alpr-desktop.ico')" "-DOUTFILE=$Out" alpr-desktop.nsi
$rc = $LASTEXITCODE
Pop-Location
if ($rc -ne 0) { throw "makensis failed." }
Write-Output "build.ps1: built $Bundle and $Out"
