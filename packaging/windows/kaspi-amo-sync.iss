; Inno Setup 6.3+ script: the Windows installer of "Kaspi amoCRM Sync".
;
;   pyinstaller --noconfirm build.spec                      (makes dist\Kaspi amoCRM Sync\)
;   iscc packaging\windows\kaspi-amo-sync.iss               (makes dist\kaspi-amo-sync-<version>-windows-setup.exe)
;
; What it does (docs/packaging.md):
; - installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\Kaspi amoCRM Sync (shop PCs often have no admin account at hand);
;   Windows 10 or later (what PySide6 6.x supports);
; - a Start menu entry, an optional desktop icon, an optional "start with Windows" (the HKCU Run
;   value KaspiAmoSync - the same value the app's own autostart switch writes, app/gui/autostart.py;
;   the installer marks a value it wrote as its own, so an upgrade with the task unticked removes
;   only that one);
; - before replacing or removing files it asks the running tray app to quit ("kaspi-amo.exe quit":
;   the app finishes the amoCRM request in flight, closes its store and exits; a window close
;   would only hide it to the tray), showing that it waits; then ends whatever still runs from
;   the install folder (a headless "kaspi-amo.exe run") - matched by the program's path, so
;   a kaspi-amo.exe elsewhere (a pip install running for another shop) is left alone. A forced
;   stop is safe too: every order is written exactly once even when the process is killed at
;   any step (docs/reliability.md). After a silent upgrade the app is started again;
; - uninstalling keeps settings, the order database, logs and saved tokens unless the user says
;   to delete them, or a silent uninstall is given /DELETEDATA (%LOCALAPPDATA%\kaspi-amo,
;   platformdirs' folders for app/paths.py; tokens via "kaspi-amo.exe forget-secrets");
; - Russian and English.
; The version comes from the executable's version resource, which build.spec takes from
; app/__init__.py: one place. ProductVersion is the text (0.2.0rc1 for a pre-release), the
; fixed FILEVERSION the four numbers (build.spec maps 0.2.0rc1 to 0.2.0.0): Windows' version
; fields take numbers only. /DAppVersion=x.y.z overrides the text, /DSourceDir=... the bundle.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed (this script is UTF-8 without a BOM; ExecAndLogOutput)
#endif

#define AppName "Kaspi amoCRM Sync"
#define AppExeName "Kaspi amoCRM Sync.exe"
#define CliExeName "kaspi-amo.exe"
#ifndef SourceDir
  #define SourceDir "..\..\dist\Kaspi amoCRM Sync"
#endif
#define RunValueName "KaspiAmoSync"
#define InstallerKey "Software\" + AppName
#define AutostartMarker "AutostartSetBy"
#define RunningMutex "KaspiAmoSync.Running"
#define DataDirName "kaspi-amo"
; seconds "kaspi-amo.exe quit" waits for the app to end (the app's own stop deadline is 30 s)
#define QuitTimeout "60"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(SourceDir + "\" + AppExeName, "ProductVersion")
#endif
#if AppVersion == ""
  #error No ProductVersion in the app's version resource: build it with build.spec, or pass /DAppVersion=
#endif
#ifndef NumericVersion
  #define NumericVersion GetVersionNumbersString(SourceDir + "\" + AppExeName)
#endif

[Setup]
AppId={{6ADEFEAF-2C8A-4E12-BA82-B7798BCEB658}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#NumericVersion}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
MinVersion=10.0
DefaultDirName={localappdata}\Programs\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=kaspi-amo-sync-{#AppVersion}-windows-setup
SetupIconFile=..\..\resources\app.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; our own [Code] closes the app first; the Restart Manager stays as a second net for files held
; by other programs (Python extension modules are .pyd)
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no

[Languages]
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
ru.AutostartTask=Запускать {#AppName} при входе в Windows
ru.AutostartGroup=Автозапуск:
ru.ClosingApp=Закрываю {#AppName}: программа доделывает текущую пачку заказов и сохраняет её (до минуты)…
ru.ClosingAppShort=Закрываю {#AppName}: программа сохраняет пачку заказов…
ru.DeleteDataQuestion=Удалить также настройки, базу заказов, журналы и сохранённые токены Kaspi и amoCRM?%n%n%1%n%nНажмите «Нет», чтобы сохранить их: при повторной установке программа продолжит с того же места.
ru.CouldNotCloseInstall=Не удалось закрыть {#AppName}. Закройте программу через меню значка в трее («Выйти»), затем нажмите «Назад» и снова «Установить».
ru.CouldNotCloseUninstall=Не удалось закрыть {#AppName}. Закройте программу через меню значка в трее («Выйти») и нажмите «Повтор».
en.AutostartTask=Start {#AppName} when I sign in to Windows
en.AutostartGroup=Autostart:
en.ClosingApp=Closing {#AppName}: it finishes and saves the current batch of orders (up to a minute)…
en.ClosingAppShort=Closing {#AppName}: it saves the current batch of orders…
en.DeleteDataQuestion=Also delete the settings, the order database, the logs and the saved Kaspi and amoCRM tokens?%n%n%1%n%nChoose "No" to keep them: a later install carries on where this one stopped.
en.CouldNotCloseInstall=Could not close {#AppName}. Quit it from its tray icon menu ("Quit"), then click Back and Install again.
en.CouldNotCloseUninstall=Could not close {#AppName}. Quit it from its tray icon menu ("Quit") and press Retry.

[Tasks]
Name: "autostart"; Description: "{cm:AutostartTask}"; GroupDescription: "{cm:AutostartGroup}"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; files of an older build that this one no longer ships (Qt libraries are renamed between releases)
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; the same value app/gui/autostart.py writes (subprocess.list2cmdline of the exe path: quoted),
; and the mark that the installer wrote it (the app's own switch removes the mark)
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#RunValueName}"; ValueData: """{app}\{#AppExeName}"""; Tasks: autostart; Flags: uninsdeletevalue
Root: HKCU; Subkey: "{#InstallerKey}"; ValueType: string; ValueName: "{#AutostartMarker}"; ValueData: "installer"; Tasks: autostart; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
; a silent upgrade (an admin tool, an auto-update) starts again what it closed
Filename: "{app}\{#AppExeName}"; Flags: nowait; Check: StartAgainAfterSilentUpgrade

[Code]
const
  RunKey = 'Software\Microsoft\Windows\CurrentVersion\Run';
  TH32CS_SNAPPROCESS = $2;
  PROCESS_TERMINATE = $1;
  PROCESS_QUERY_LIMITED_INFORMATION = $1000;
  SYNCHRONIZE = $100000;
  WAIT_OBJECT_0 = 0;
  ForcedEndWaitMs = 5000;

type
  { PROCESSENTRY32W: Setup is a 32-bit program, so ULONG_PTR is 4 bytes (556 bytes in all) }
  TProcessEntry32 = record
    dwSize: DWORD;
    cntUsage: DWORD;
    th32ProcessID: DWORD;
    th32DefaultHeapID: DWORD;
    th32ModuleID: DWORD;
    cntThreads: DWORD;
    th32ParentProcessID: DWORD;
    pcPriClassBase: Longint;
    dwFlags: DWORD;
    szExeFile: array[0..259] of Char;
  end;
  TProcessIds = array of DWORD;

function CreateToolhelp32Snapshot(dwFlags, th32ProcessID: DWORD): THandle;
  external 'CreateToolhelp32Snapshot@kernel32.dll stdcall';
function Process32First(hSnapshot: THandle; var lppe: TProcessEntry32): BOOL;
  external 'Process32FirstW@kernel32.dll stdcall';
function Process32Next(hSnapshot: THandle; var lppe: TProcessEntry32): BOOL;
  external 'Process32NextW@kernel32.dll stdcall';
function OpenProcess(dwDesiredAccess: DWORD; bInheritHandle: BOOL; dwProcessId: DWORD): THandle;
  external 'OpenProcess@kernel32.dll stdcall';
function QueryFullProcessImageName(hProcess: THandle; dwFlags: DWORD; lpExeName: String; var lpdwSize: DWORD): BOOL;
  external 'QueryFullProcessImageNameW@kernel32.dll stdcall';
function TerminateProcess(hProcess: THandle; uExitCode: UINT): BOOL;
  external 'TerminateProcess@kernel32.dll stdcall';
function WaitForSingleObject(hHandle: THandle; dwMilliseconds: DWORD): DWORD;
  external 'WaitForSingleObject@kernel32.dll stdcall';
function GetCurrentProcessId(): DWORD;
  external 'GetCurrentProcessId@kernel32.dll stdcall';
function CloseHandle(hObject: THandle): BOOL;
  external 'CloseHandle@kernel32.dll stdcall';

var
  AppWasRunning: Boolean;  { the tray app ran before this upgrade: a silent one starts it again }
  ClosingLabel: TNewStaticText;
  ClosingBar: TNewProgressBar;

{ --- which processes run from the install folder ------------------------------------------- }

function ProgramPath(Pid: DWORD): String;
var
  Handle: THandle;
  Size: DWORD;
  Buffer: String;
begin
  Result := '';
  Handle := OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, Pid);
  if Handle = 0 then
    Exit;
  Size := 1024;
  Buffer := StringOfChar(#0, Size);
  if QueryFullProcessImageName(Handle, 0, Buffer, Size) then
    Result := Copy(Buffer, 1, Size);
  CloseHandle(Handle);
end;

// Ids of the processes whose program is ExeName in the install folder, or any program under it
// when ExeName is empty: by path, never by name (another kaspi-amo.exe may serve another shop).
// Setup and the uninstaller themselves are never in the list.
function ProcessesFromApp(const ExeName: String): TProcessIds;
var
  Snapshot: THandle;
  Entry: TProcessEntry32;
  More: Boolean;
  Dir, Path: String;
  Count: Integer;
begin
  SetArrayLength(Result, 0);
  Count := 0;
  Dir := AddBackslash(ExpandConstant('{app}'));
  Snapshot := CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if Snapshot = THandle(-1) then
    Exit;
  Entry.dwSize := SizeOf(Entry);
  More := Process32First(Snapshot, Entry);
  while More do
  begin
    if Entry.th32ProcessID <> GetCurrentProcessId() then
    begin
      Path := ProgramPath(Entry.th32ProcessID);
      if (Path <> '') and (CompareText(Copy(Path, 1, Length(Dir)), Dir) = 0) and
         (CompareText(Copy(ExtractFileName(Path), 1, 5), 'unins') <> 0) and
         ((ExeName = '') or (CompareText(Path, Dir + ExeName) = 0)) then
      begin
        Count := Count + 1;
        SetArrayLength(Result, Count);
        Result[Count - 1] := Entry.th32ProcessID;
        Log(Format('Running from the install folder: process %d, %s', [Entry.th32ProcessID, Path]));
      end;
    end;
    More := Process32Next(Snapshot, Entry);
  end;
  CloseHandle(Snapshot);
end;

function TrayAppRunning(): Boolean;
begin
  Result := CheckForMutexes('{#RunningMutex}') or (GetArrayLength(ProcessesFromApp('{#AppExeName}')) > 0);
end;

{ --- showing that we wait ------------------------------------------------------------------ }

procedure InitializeWizard();
begin
  { the Preparing page says why it waits, with a moving bar, while the app finishes its batch }
  ClosingLabel := TNewStaticText.Create(WizardForm);
  ClosingLabel.Parent := WizardForm.PreparingPage;
  ClosingLabel.Left := WizardForm.PreparingLabel.Left;
  ClosingLabel.Top := WizardForm.PreparingLabel.Top;
  ClosingLabel.Width := WizardForm.PreparingLabel.Width;
  ClosingLabel.AutoSize := False;
  ClosingLabel.WordWrap := True;
  ClosingLabel.Height := ScaleY(44);
  ClosingLabel.Caption := CustomMessage('ClosingApp');
  ClosingLabel.Visible := False;
  ClosingBar := TNewProgressBar.Create(WizardForm);
  ClosingBar.Parent := WizardForm.PreparingPage;
  ClosingBar.Left := ClosingLabel.Left;
  ClosingBar.Width := ClosingLabel.Width;
  ClosingBar.Top := ClosingLabel.Top + ClosingLabel.Height + ScaleY(8);
  ClosingBar.Height := ScaleY(16);
  ClosingBar.Style := npbstMarquee;
  ClosingBar.Visible := False;
end;

procedure ShowClosing(const Closing: Boolean);
begin
  if IsUninstaller() then
  begin
    if Closing then
    begin
      UninstallProgressForm.StatusLabel.Caption := CustomMessage('ClosingAppShort');  { one line there }
      UninstallProgressForm.ProgressBar.Style := npbstMarquee;
    end else
    begin
      UninstallProgressForm.StatusLabel.Caption := '';
      UninstallProgressForm.ProgressBar.Style := npbstNormal;
    end;
  end else
  begin
    ClosingLabel.Visible := Closing;
    ClosingBar.Visible := Closing;
  end;
end;

{ --- closing ------------------------------------------------------------------------------- }

{ The polite way: "kaspi-amo.exe quit" returns once the tray app has finished its batch and
  exited (0), or 1 after the timeout or when the running app is too old to know "quit". The
  wait processes window messages, so the page and its moving bar stay alive meanwhile. }
function AskAppToQuit(): Boolean;
var
  Cli: String;
  Code: Integer;
begin
  Result := False;
  Cli := ExpandConstant('{app}\{#CliExeName}');
  if not FileExists(Cli) then
  begin
    Log('No ' + Cli + ' to ask the app to quit');
    Exit;
  end;
  Log('Asking the tray app to quit: kaspi-amo.exe quit --timeout {#QuitTimeout}');
  ShowClosing(True);
  try
    try
      if ExecAndLogOutput(Cli, 'quit --timeout {#QuitTimeout}', '', SW_HIDE, ewWaitUntilTerminated, Code, nil) then
      begin
        Log(Format('kaspi-amo.exe quit ended with exit code %d', [Code]));
        Result := Code = 0;
      end else
        Log('Could not run kaspi-amo.exe quit: ' + SysErrorMessage(Code));
    except
      Log('Could not run kaspi-amo.exe quit: ' + GetExceptionMessage());
    end;
  finally
    ShowClosing(False);
  end;
end;

{ Whatever still runs from the install folder (a headless "kaspi-amo.exe run", an app that did
  not quit in time) is ended. }
procedure EndProcessesFromApp();
var
  Ids: TProcessIds;
  I: Integer;
  Handle: THandle;
  Waited: DWORD;
begin
  Ids := ProcessesFromApp('');
  for I := 0 to GetArrayLength(Ids) - 1 do
  begin
    Handle := OpenProcess(PROCESS_TERMINATE or SYNCHRONIZE, False, Ids[I]);
    if Handle = 0 then
    begin
      Log(Format('Cannot open process %d to end it', [Ids[I]]));
      Continue;
    end;
    Log(Format('Ending process %d', [Ids[I]]));
    if TerminateProcess(Handle, 1) then
    begin
      Waited := WaitForSingleObject(Handle, ForcedEndWaitMs);
      if Waited = WAIT_OBJECT_0 then
        Log(Format('Process %d ended', [Ids[I]]));
    end;
    CloseHandle(Handle);
  end;
end;

{ True when nothing runs from the install folder any more. }
function CloseRunningApp(): Boolean;
begin
  if TrayAppRunning() then
  begin
    AppWasRunning := True;
    if AskAppToQuit() then
      Log('The tray app quit by itself')
    else
      Log('The tray app did not quit when asked');
  end;
  EndProcessesFromApp();
  Result := GetArrayLength(ProcessesFromApp('')) = 0;
end;

{ --- install ------------------------------------------------------------------------------- }

function PrepareToInstall(var NeedsRestart: Boolean): String;
begin
  Result := '';
  if not CloseRunningApp() then
    Result := CustomMessage('CouldNotCloseInstall');  { the page then offers Back (and Cancel) }
end;

function StartAgainAfterSilentUpgrade(): Boolean;
begin
  Result := WizardSilent() and AppWasRunning;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  SetBy: String;
begin
  { "Start with Windows" unticked on an upgrade: remove the Run value if this installer wrote
    it; a value the owner switched on in the app (no mark) stays }
  if (CurStep = ssPostInstall) and not WizardIsTaskSelected('autostart') and
     RegQueryStringValue(HKCU, '{#InstallerKey}', '{#AutostartMarker}', SetBy) and (SetBy = 'installer') then
  begin
    Log('Autostart unticked: removing the Run value the installer wrote');
    RegDeleteValue(HKCU, RunKey, '{#RunValueName}');
    RegDeleteValue(HKCU, '{#InstallerKey}', '{#AutostartMarker}');
  end;
end;

{ --- uninstall ----------------------------------------------------------------------------- }

function UninstallParam(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount() do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
  Code: Integer;
  DeleteData: Boolean;
begin
  if CurUninstallStep = usUninstall then
  begin
    { after the "remove?" confirmation, with the progress window up, before any file goes;
      SuppressibleMsgBox answers Cancel under /SUPPRESSMSGBOXES, so a silent run never hangs }
    while not CloseRunningApp() do
      if SuppressibleMsgBox(CustomMessage('CouldNotCloseUninstall'), mbError, MB_RETRYCANCEL, IDCANCEL) <> IDRETRY then
        Abort;
    DataDir := ExpandConstant('{localappdata}\{#DataDirName}');
    if UninstallSilent() then
      DeleteData := UninstallParam('/DELETEDATA')  { silent: kept unless asked for on the command line }
    else
      DeleteData := MsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [DataDir]), mbConfirmation,
                           MB_YESNO or MB_DEFBUTTON2) = IDYES;
    if DeleteData then
    begin
      { tokens live in Windows Credential Manager: the app removes its own, while it is still here }
      if Exec(ExpandConstant('{app}\{#CliExeName}'), 'forget-secrets', '', SW_HIDE, ewWaitUntilTerminated, Code) then
        Log(Format('kaspi-amo.exe forget-secrets ended with exit code %d', [Code]));
      if DirExists(DataDir) and not DelTree(DataDir, True, True, True) then
        Log('Could not delete all of ' + DataDir);
    end;
  end;
  if CurUninstallStep = usPostUninstall then
  begin
    { the app's own autostart switch may have written the value without the installer's task }
    RegDeleteValue(HKCU, RunKey, '{#RunValueName}');
    RegDeleteKeyIncludingSubkeys(HKCU, '{#InstallerKey}');
  end;
end;
