# Register (or, with -Remove, unregister) the scheduled purge task from purge-task.xml.
#
#   register-purge-task.ps1 -Account ".\alpr-purge" -Store "C:\ProgramData\ALPR Desktop\stores\alpr.alprdb"
#   register-purge-task.ps1 -Remove
#
# The account's password is read from the environment variable ALPR_PURGE_PASSWORD (the
# installer sets it for this process only), else asked for; it is never a command-line
# argument, where the process list would show it. Run as an administrator.
param(
    [string]$Account = "",
    [string]$Store = "",
    [switch]$Remove
)
$ErrorActionPreference = "Stop"
$TaskPath = "\ALPR Desktop\"
$TaskName = "Scheduled Purge"
$Here = Split-Path -Parent $MyInvocation.MyCommand.Path

if ($Remove) {
    if (Get-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName -ErrorAction SilentlyContinue) {
        Unregister-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName -Confirm:$false
        Write-Output "The scheduled purge task was removed."
    }
    exit 0
}
if (-not $Account -or -not $Store) {
    Write-Error "Give the purge service account (-Account) and the store file (-Store)."
    exit 2
}
$Password = $env:ALPR_PURGE_PASSWORD
if (-not $Password) {
    $secure = Read-Host -AsSecureString "Password of $Account"
    $Password = [Runtime.InteropServices.Marshal]::PtrToStringAuto(
        [Runtime.InteropServices.Marshal]::SecureStringToBSTR($secure))
}
function Esc([string]$s) { [System.Security.SecurityElement]::Escape($s) }
$xml = Get-Content -Raw -Encoding UTF8 (Join-Path $Here "purge-task.xml")
$xml = $xml.Replace("@PROGRAM@", (Esc (Join-Path $Here "alpr-desktop.exe")))
$xml = $xml.Replace("@STORE@", (Esc $Store)).Replace("@WORKDIR@", (Esc $Here))
$xml = $xml.Replace("@ACCOUNT@", (Esc $Account))

# The account must reach the store's folder (the purge deletes from the store file and writes
# its WAL and the credential file beside it).
$folder = Split-Path -Parent $Store
New-Item -ItemType Directory -Force -Path $folder | Out-Null
& icacls.exe $folder /grant "${Account}:(OI)(CI)M" | Out-Null

Register-ScheduledTask -Xml $xml -TaskPath $TaskPath -TaskName $TaskName `
    -User $Account -Password $Password -Force | Out-Null
Write-Output "The scheduled purge runs every minute as $Account on $Store."
Write-Output "A custodian enrolls it once, signed in to Windows as ${Account}:"
Write-Output "  runas /user:$Account `"\`"$(Join-Path $Here 'alpr-desktop.exe')\`" purge --enroll --user CUSTODIAN --store \`"$Store\`"`""
