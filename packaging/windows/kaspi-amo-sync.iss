; Inno Setup 6 script: the Windows installer of "Kaspi amoCRM Sync".
;
;   pyinstaller --noconfirm build.spec                      (makes dist\Kaspi amoCRM Sync\)
;   iscc packaging\windows\kaspi-amo-sync.iss               (makes dist\kaspi-amo-sync-<version>-windows-setup.exe)
;
; What it does (docs/packaging.md):
; - installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\Kaspi amoCRM Sync (shop PCs often have no admin account at hand);
; - a Start menu entry, an optional desktop icon, an optional "start with Windows" (the HKCU Run
;   value KaspiAmoSync - the same value the app's own autostart switch writes, app/gui/autostart.py);
; - closes a running copy before installing an upgrade (the tray app holds the mutex
;   KaspiAmoSync.Running, packaging/entry.py; a forced stop mid-sync is safe: every order is
;   written exactly once even when the process is killed at any step) and starts it again after;
; - uninstalling keeps settings, the order database, logs and saved tokens unless the user says
;   to delete them (%LOCALAPPDATA%\kaspi-amo, platformdirs' folders for app/paths.py; tokens via
;   "kaspi-amo.exe forget-secrets").
; - Russian and English.
; The version comes from the executable's version resource, which build.spec takes from
; app/__init__.py: one place. Pass /DAppVersion=x.y.z to override.

#define AppName "Kaspi amoCRM Sync"
#define AppExeName "Kaspi amoCRM Sync.exe"
#define CliExeName "kaspi-amo.exe"
#define SourceDir "..\..\dist\Kaspi amoCRM Sync"
#define RunValueName "KaspiAmoSync"
#define RunningMutex "KaspiAmoSync.Running"
#define DataDirName "kaspi-amo"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(SourceDir + "\" + AppExeName, "ProductVersion")
#endif

[Setup]
AppId={{6ADEFEAF-2C8A-4E12-BA82-B7798BCEB658}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
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
; our own [Code] closes the app first; the Restart Manager stays as a second net
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
ru.AutostartTask=Запускать {#AppName} при входе в Windows
ru.AutostartGroup=Автозапуск:
ru.ClosingApp=Закрываю запущенную программу {#AppName}…
ru.DeleteDataQuestion=Удалить также настройки, базу заказов, журналы и сохранённые токены Kaspi и amoCRM?%n%n%1%n%nНажмите «Нет», чтобы сохранить их: при повторной установке программа продолжит с того же места.
ru.CouldNotClose=Не удалось закрыть {#AppName}. Закройте программу через меню значка в трее («Выход») и нажмите «Повтор».
en.AutostartTask=Start {#AppName} when I sign in to Windows
en.AutostartGroup=Autostart:
en.ClosingApp=Closing the running {#AppName}…
en.DeleteDataQuestion=Also delete the settings, the order database, the logs and the saved Kaspi and amoCRM tokens?%n%n%1%n%nChoose "No" to keep them: a later install carries on where this one stopped.
en.CouldNotClose=Could not close {#AppName}. Quit it from its tray icon menu ("Quit") and press Retry.

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
; the same value app/gui/autostart.py writes (subprocess.list2cmdline of the exe path: quoted)
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#RunValueName}"; ValueData: """{app}\{#AppExeName}"""; Tasks: autostart; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[Code]
const
  RunKey = 'Software\Microsoft\Windows\CurrentVersion\Run';

procedure StopProcesses(Force: Boolean);
var
  Code: Integer;
  Flags: String;
begin
  if Force then Flags := '/f ' else Flags := '';
  Exec(ExpandConstant('{sys}\taskkill.exe'), Flags + '/t /im "{#AppExeName}"', '', SW_HIDE, ewWaitUntilTerminated, Code);
  Exec(ExpandConstant('{sys}\taskkill.exe'), Flags + '/t /im "{#CliExeName}"', '', SW_HIDE, ewWaitUntilTerminated, Code);
end;

function AppRunning(): Boolean;
begin
  Result := CheckForMutexes('{#RunningMutex}');
end;

{ Ask the tray app to close (it finishes the current batch), then insist. }
function CloseRunningApp(): Boolean;
var
  Waited: Integer;
begin
  Result := True;
  if not AppRunning() then
  begin
    StopProcesses(True);  { a headless `kaspi-amo.exe run` holds no mutex but locks files }
    Exit;
  end;
  Log('{#AppName} is running: closing it');
  StopProcesses(False);
  Waited := 0;
  while AppRunning() and (Waited < 10000) do
  begin
    Sleep(250);
    Waited := Waited + 250;
  end;
  if AppRunning() then
  begin
    StopProcesses(True);
    Sleep(1000);
  end;
  StopProcesses(True);
  Result := not AppRunning();
end;

function PrepareToInstall(var NeedsRestart: Boolean): String;
begin
  Result := '';
  Log(CustomMessage('ClosingApp'));
  if not CloseRunningApp() then
    Result := CustomMessage('CouldNotClose');
end;

function InitializeUninstall(): Boolean;
begin
  Result := True;
  while not CloseRunningApp() do
    if MsgBox(CustomMessage('CouldNotClose'), mbError, MB_RETRYCANCEL) = IDCANCEL then
    begin
      Result := False;
      Exit;
    end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
  Code: Integer;
begin
  if CurUninstallStep = usUninstall then
  begin
    { the app's own autostart switch may have written the value without the installer's task }
    RegDeleteValue(HKCU, RunKey, '{#RunValueName}');
    DataDir := ExpandConstant('{localappdata}\{#DataDirName}');
    { silent uninstalls (upgrades by an admin tool) always keep the data }
    if not UninstallSilent() and DirExists(DataDir) and
       (MsgBox(FmtMessage(CustomMessage('DeleteDataQuestion'), [DataDir]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES) then
    begin
      { tokens live in Windows Credential Manager: the app removes its own, while it is still here }
      Exec(ExpandConstant('{app}\{#CliExeName}'), 'forget-secrets', '', SW_HIDE, ewWaitUntilTerminated, Code);
      DelTree(DataDir, True, True, True);
    end;
  end;
end;
