/* A stand-in for the PyInstaller bundle, for the installer test under wine (tests/windows).
 *
 * Built twice with mingw-w64 from this one file, like build.spec builds the app twice:
 *   "Kaspi amoCRM Sync.exe"  -mwindows   the windowed app
 *   "kaspi-amo.exe"          (console)   its console twin
 * both with the version resource build.spec writes (ProductVersion text, numeric FILEVERSION).
 *
 * It behaves as the real app does towards the installer (packaging/entry.py, app/gui/
 * single_instance.py, app/gui/window.py, app/cli.py):
 *   no arguments   the tray app: holds the named mutex KaspiAmoSync.Running, has a hidden
 *                  top-level window that ignores WM_CLOSE (the real one hides to the tray),
 *                  and listens on its single-instance channel, a named pipe: a line "quit"
 *                  is answered "quitting <pid>", then the current batch is finished (a short
 *                  wait) and the process exits 0; "show" is only noted;
 *   quit [--timeout S]   says "quit" on the channel, waits until that process has ended: 0,
 *                  also when nothing listens; 1 on timeout or without an answer;
 *   run            a headless sync loop (it never ends by itself);
 *   forget-secrets, --version.
 * The channel's name is fixed (the real app derives it from the user and its settings folder).
 * Every step is appended to the file named by STANDIN_LOG: "<pid> <event>".
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifndef STANDIN_VERSION
#define STANDIN_VERSION "0.0.0"
#endif

static const wchar_t *PIPE_NAME = L"\\\\.\\pipe\\kaspi-amo-standin";
static const wchar_t *MUTEX_NAME = L"KaspiAmoSync.Running";

static void note(const char *event)
{
    wchar_t path[1024];
    DWORD n = GetEnvironmentVariableW(L"STANDIN_LOG", path, 1024);
    if (n == 0 || n >= 1024)
        return;
    for (int attempt = 0; attempt < 50; attempt++) {  /* two processes may write at once */
        HANDLE file = CreateFileW(path, FILE_APPEND_DATA, 0, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
        if (file != INVALID_HANDLE_VALUE) {
            char line[512];
            int len = snprintf(line, sizeof line, "%lu %s\r\n", (unsigned long)GetCurrentProcessId(), event);
            DWORD written;
            WriteFile(file, line, (DWORD)len, &written, NULL);
            CloseHandle(file);
            return;
        }
        Sleep(20);
    }
}

static DWORD env_ms(const wchar_t *name, DWORD fallback)
{
    wchar_t value[32];
    DWORD n = GetEnvironmentVariableW(name, value, 32);
    return (n == 0 || n >= 32) ? fallback : (DWORD)wcstoul(value, NULL, 10);
}

static int read_line(HANDLE pipe, char *line, int size)
{
    int used = 0;
    while (used < size - 1) {
        char ch;
        DWORD got = 0;
        if (!ReadFile(pipe, &ch, 1, &got, NULL) || got == 0)
            break;
        if (ch == '\n')
            break;
        line[used++] = ch;
    }
    line[used] = 0;
    return used;
}

/* --- the tray app ------------------------------------------------------------------------ */

static LRESULT CALLBACK window_proc(HWND window, UINT message, WPARAM wparam, LPARAM lparam)
{
    if (message == WM_CLOSE) {
        note("WM_CLOSE: hidden to the tray, still running");
        ShowWindow(window, SW_HIDE);
        return 0;
    }
    return DefWindowProcW(window, message, wparam, lparam);
}

static DWORD WINAPI channel(LPVOID unused)
{
    (void)unused;
    for (;;) {
        HANDLE pipe = CreateNamedPipeW(PIPE_NAME, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT,
                                       PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, NULL);
        if (pipe == INVALID_HANDLE_VALUE) {
            note("channel: cannot listen");
            return 1;
        }
        if (!ConnectNamedPipe(pipe, NULL) && GetLastError() != ERROR_PIPE_CONNECTED) {
            CloseHandle(pipe);
            continue;
        }
        char line[64];
        read_line(pipe, line, sizeof line);
        if (strcmp(line, "quit") == 0) {
            char answer[64];
            int len = snprintf(answer, sizeof answer, "quitting %lu\n", (unsigned long)GetCurrentProcessId());
            DWORD written;
            WriteFile(pipe, answer, (DWORD)len, &written, NULL);
            FlushFileBuffers(pipe);
            note("quit requested: finishing the current batch");
            Sleep(env_ms(L"STANDIN_BATCH_MS", 1500));
            note("batch finished, store closed");
            note("exit 0");
            ExitProcess(0);  /* the asker's connection closes with the process */
        }
        note(line[0] ? line : "(empty message)");
        DisconnectNamedPipe(pipe);
        CloseHandle(pipe);
    }
}

static int tray_app(void)
{
    HANDLE probe = CreateFileW(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (probe != INVALID_HANDLE_VALUE) {  /* already running: wake it, like a second start does */
        DWORD written;
        WriteFile(probe, "show\n", 5, &written, NULL);
        CloseHandle(probe);
        note("second start: woke the running app");
        return 0;
    }
    CreateMutexW(NULL, FALSE, MUTEX_NAME);
    WNDCLASSW cls = {0};
    cls.lpfnWndProc = window_proc;
    cls.hInstance = GetModuleHandleW(NULL);
    cls.lpszClassName = L"KaspiAmoSyncStandIn";
    RegisterClassW(&cls);
    CreateWindowExW(0, cls.lpszClassName, L"Kaspi amoCRM Sync", WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT,
                    320, 200, NULL, NULL, cls.hInstance, NULL);
    CreateThread(NULL, 0, channel, NULL, 0, NULL);
    note("tray app started " STANDIN_VERSION);
    MSG msg;
    while (GetMessageW(&msg, NULL, 0, 0) > 0) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
    note("exit 0 (window closed)");
    return 0;
}

/* --- the command line ---------------------------------------------------------------------- */

static int quit_command(double timeout)
{
    HANDLE pipe = CreateFileW(PIPE_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) {
        printf("not running: nothing to close\n");
        note("quit: not running");
        return 0;
    }
    DWORD written;
    WriteFile(pipe, "quit\n", 5, &written, NULL);
    char line[64];
    read_line(pipe, line, sizeof line);
    CloseHandle(pipe);
    unsigned long pid = 0;
    if (sscanf(line, "quitting %lu", &pid) != 1) {
        note("quit: no answer");
        return 1;
    }
    HANDLE process = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)pid);
    if (process == NULL) {
        note("quit: the app has already ended");
        return 0;
    }
    DWORD waited = WaitForSingleObject(process, (DWORD)(timeout * 1000));
    CloseHandle(process);
    note(waited == WAIT_OBJECT_0 ? "quit: the app has ended" : "quit: timed out");
    return waited == WAIT_OBJECT_0 ? 0 : 1;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc < 2)
        return tray_app();
    if (wcscmp(argv[1], L"--version") == 0) {
        printf("Kaspi amoCRM Sync %s\n", STANDIN_VERSION);
        return 0;
    }
    if (wcscmp(argv[1], L"quit") == 0) {
        double timeout = 60;
        if (argc >= 4 && wcscmp(argv[2], L"--timeout") == 0)
            timeout = wcstod(argv[3], NULL);
        note("quit: asking the tray app");
        return quit_command(timeout);
    }
    if (wcscmp(argv[1], L"run") == 0) {
        note("run: headless sync loop started");
        for (;;)
            Sleep(1000);
    }
    if (wcscmp(argv[1], L"forget-secrets") == 0) {
        note("forget-secrets");
        return 0;
    }
    fprintf(stderr, "unknown command\n");
    return 2;
}
