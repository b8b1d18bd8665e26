; Windows installer of the ALPR Investigator Workstation (NSIS 3, MUI2).
;
; Built by installer\build.ps1 on Windows (or installer/windows/build-nsis.sh, which makensis
; runs on Linux too):
;   makensis /DVERSION=0.2.0 /DVERSION4=0.2.0.0 /DBUNDLE=..\dist\alpr-desktop
;            /DICON=..\build\icons\alpr-desktop.ico /DOUTFILE=..\dist\alpr-desktop-0.2.0-setup.exe
;            alpr-desktop.nsi
;
; What it does: installs the one-folder bundle per machine under Program Files (administrator
; rights), adds the Start-menu entry and the uninstaller, and registers the scheduled purge
; (policy section 8: `alpr-desktop purge` every minute, Task Scheduler XML in purge-task.xml)
; under the service account given on the "Scheduled purge" page. Silent install:
;   setup.exe /S /PURGEUSER=.\alpr-purge /PURGESTORE=C:\ProgramData\ALPR Desktop\stores\alpr.alprdb
; with the account's password in the environment variable ALPR_PURGE_PASSWORD.
; Uninstall removes the program, its shortcut and the task; it never removes a store (stores
; live outside the program's folder, and only the files installed here are deleted).

Unicode true
!include "MUI2.nsh"
!include "nsDialogs.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef VERSION4
  !define VERSION4 "0.0.0.0"
!endif
!ifndef BUNDLE
  !define BUNDLE "..\dist\alpr-desktop"
!endif
!ifndef ICON
  !define ICON "..\build\icons\alpr-desktop.ico"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\alpr-desktop-${VERSION}-setup.exe"
!endif

!define APP "ALPR Investigator Workstation"
!define PUBLISHER "City of Carson"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ALPR Desktop"
; $APPDATA is C:\ProgramData once SetShellVarContext all has run (.onInit)
!define DEFAULT_STORE "$APPDATA\ALPR Desktop\stores\alpr.alprdb"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\ALPR Desktop"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
RequestExecutionLevel admin
!ifndef COMPRESSOR
  !define COMPRESSOR "/SOLID lzma"  ; build-nsis.sh packs its Linux-payload check with zlib
!endif
SetCompressor ${COMPRESSOR}
ManifestDPIAware true

VIProductVersion "${VERSION4}"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING

Var PurgeUser
Var PurgePassword
Var PurgeStore
Var UserField
Var PasswordField
Var StoreField

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom PurgePage PurgePageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "The ${APP} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  ${GetParameters} $R0
  ${GetOptions} $R0 "/PURGEUSER=" $PurgeUser
  ${GetOptions} $R0 "/PURGESTORE=" $PurgeStore
  ReadEnvStr $PurgePassword "ALPR_PURGE_PASSWORD"
  ${If} $PurgeStore == ""
    StrCpy $PurgeStore "${DEFAULT_STORE}"
  ${EndIf}
FunctionEnd

Function PurgePage
  !insertmacro MUI_HEADER_TEXT "Scheduled purge" \
    "Reads are deleted one minute after their retention ends, also while nobody is signed in."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 36u "The purge runs every minute as a Windows account of its own \
(a service account: create it first). Leave the account empty to register the task later \
(installer README). After installing, a custodian enrolls the purge once under that account."
  Pop $0
  ${NSD_CreateLabel} 0 40u 30% 12u "Service account:"
  Pop $0
  ${NSD_CreateText} 32% 38u 68% 12u "$PurgeUser"
  Pop $UserField
  ${NSD_CreateLabel} 0 58u 30% 12u "Its password:"
  Pop $0
  ${NSD_CreatePassword} 32% 56u 68% 12u "$PurgePassword"
  Pop $PasswordField
  ${NSD_CreateLabel} 0 76u 30% 12u "Store file:"
  Pop $0
  ${NSD_CreateText} 32% 74u 68% 12u "$PurgeStore"
  Pop $StoreField
  nsDialogs::Show
FunctionEnd

Function PurgePageLeave
  ${NSD_GetText} $UserField $PurgeUser
  ${NSD_GetText} $PasswordField $PurgePassword
  ${NSD_GetText} $StoreField $PurgeStore
  ${If} $PurgeUser != ""
  ${AndIf} $PurgePassword == ""
    MessageBox MB_ICONEXCLAMATION "Give the service account's password: the task logs on \
with it to reach that account's Credential Manager."
    Abort
  ${EndIf}
FunctionEnd

Section "Program" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  File "purge-task.xml"
  File "register-purge-task.ps1"
  File "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\alpr-desktopw.exe" "" \
    "$INSTDIR\alpr-desktop.ico" 0 SW_SHOWNORMAL "" "${APP}"

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\alpr-desktop.ico"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Scheduled purge" SecPurge
  ${If} $PurgeUser == ""
    DetailPrint "No service account given: the scheduled purge is not registered."
    DetailPrint "Register it later: $INSTDIR\register-purge-task.ps1 -Account NAME -Store FILE"
    Return
  ${EndIf}
  ; the password reaches PowerShell through this process's environment, never its command line
  System::Call 'Kernel32::SetEnvironmentVariable(t "ALPR_PURGE_PASSWORD", t "$PurgePassword")'
  nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File \
"$INSTDIR\register-purge-task.ps1" -Account "$PurgeUser" -Store "$PurgeStore"'
  Pop $0
  System::Call 'Kernel32::SetEnvironmentVariable(t "ALPR_PURGE_PASSWORD", p 0)'
  StrCpy $PurgePassword ""
  ${If} $0 != 0
    MessageBox MB_ICONEXCLAMATION "The scheduled purge could not be registered (exit $0). \
The program is installed; register the task as the installer README says."
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetRegView 64
  SetShellVarContext all
  nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File \
"$INSTDIR\register-purge-task.ps1" -Remove'
  Pop $0
  Delete "$SMPROGRAMS\${APP}.lnk"
  ; Only what the installer put here. A store is never in this list, and the folder itself
  ; goes only when nothing else is left in it (RMDir without /r).
  RMDir /r "$INSTDIR\_internal"
  RMDir /r "$INSTDIR\share"
  Delete "$INSTDIR\alpr-desktop.exe"
  Delete "$INSTDIR\alpr-desktopw.exe"
  Delete "$INSTDIR\alpr-desktop"
  Delete "$INSTDIR\alpr-desktop.ico"
  Delete "$INSTDIR\purge-task.xml"
  Delete "$INSTDIR\register-purge-task.ps1"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd
