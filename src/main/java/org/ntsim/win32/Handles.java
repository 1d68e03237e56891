package org.ntsim.win32;

import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObStatus;
import org.ntsim.ob.ObjectAttributes;
import org.ntsim.ob.ObjectManager;
import org.ntsim.ps.EThread;

/**
 * What kernel32 does around the native calls that create, open and duplicate handles: it turns a
 * Win32 object name into OBJECT_ATTRIBUTES (BaseFormatObjectAttributes), and an NTSTATUS into a
 * handle and a last error (BaseSetLastNTError, RtlNtStatusToDosError).
 *
 * <p>Names: Win32 names live in \BaseNamedObjects (ntsim models the global namespace only, as in
 * session 0; the documented "Global\" and "Local\" prefixes are links there, and, like every
 * component, case-sensitive). Kernel32 passes a name relative to a handle to that directory,
 * which it opens once per process; ntsim, having no per-process kernel32 state, passes the
 * absolute path, which the object manager resolves the same way, except that a leading
 * backslash, which is STATUS_OBJECT_PATH_SYNTAX_BAD relative to a directory, is reported here
 * before the call. So, as Windows does: a backslash elsewhere in a name is a path through a
 * directory that does not exist (ERROR_PATH_NOT_FOUND, per Raymond Chen's "Why does CreateEvent
 * fail with ERROR_PATH_NOT_FOUND if I give it a name with a backslash?"); names compare
 * case-sensitively (Microsoft's documentation of CreateEventW and Wine's sync.c tests); an empty
 * name creates an unnamed object.
 *
 * <p>Results (Wine's dlls/kernel32/tests/sync.c): a Create function leaves the last error 0 for a
 * new object and ERROR_ALREADY_EXISTS for an existing one; an Open function leaves it alone on
 * success and fails with ERROR_INVALID_PARAMETER for a NULL name.
 */
public final class Handles {
  /** A native create or open call, given the attributes kernel32 built; fills {@code handle[0]}. */
  @FunctionalInterface
  public interface NativeCall {
    int call(long[] handle, ObjectAttributes attributes);
  }

  private Handles() {}

  /**
   * The attributes CreateEventW and the other Create functions pass: OBJ_OPENIF (an existing
   * object of the type is opened), OBJ_INHERIT if asked, the name under \BaseNamedObjects; no
   * name for a null or empty {@code lpName}.
   */
  public static ObjectAttributes createAttributes(String lpName, boolean bInheritHandle) {
    int attributes = ObjectAttributes.OBJ_OPENIF | inherit(bInheritHandle);
    if (lpName == null || lpName.isEmpty()) {
      return ObjectAttributes.unnamed(attributes);
    }
    return ObjectAttributes.named(pathOf(lpName), attributes);
  }

  /**
   * The attributes OpenEventW and the other Open functions pass ({@code lpName} not null). An
   * empty name, relative to \BaseNamedObjects, names the directory itself.
   */
  public static ObjectAttributes openAttributes(String lpName, boolean bInheritHandle) {
    String path = lpName.isEmpty() ? ObjectManager.BASE_NAMED_OBJECTS : pathOf(lpName);
    return ObjectAttributes.named(path, inherit(bInheritHandle));
  }

  private static String pathOf(String lpName) {
    return ObjectManager.BASE_NAMED_OBJECTS + "\\" + lpName;
  }

  private static int inherit(boolean bInheritHandle) {
    return bInheritHandle ? ObjectAttributes.OBJ_INHERIT : 0;
  }

  /**
   * What the object manager would say of {@code lpName} relative to \BaseNamedObjects before
   * looking anything up: STATUS_OBJECT_PATH_SYNTAX_BAD for a leading backslash, else success.
   */
  public static int nameStatus(String lpName) {
    return lpName != null && lpName.startsWith("\\") ? ObStatus.STATUS_OBJECT_PATH_SYNTAX_BAD
        : NtStatus.STATUS_SUCCESS;
  }

  /**
   * The Win32 half of CreateEventW, CreateMutexW, CreateSemaphoreW, CreateWaitableTimerW: builds
   * the attributes, makes the native call, and returns the handle with the last error Windows
   * leaves (0, or ERROR_ALREADY_EXISTS for an existing object), or NULL with the failure's
   * error (ERROR_INVALID_HANDLE when the name belongs to an object of another type).
   */
  static long create(EThread caller, String lpName, boolean bInheritHandle, NativeCall call) {
    int status = nameStatus(lpName);
    long[] handle = new long[1];
    if (status == NtStatus.STATUS_SUCCESS) {
      status = call.call(handle, createAttributes(lpName, bInheritHandle));
    }
    if (!NtStatus.isSuccess(status)) {
      caller.lastError = WinError.fromNtStatus(status);
      return 0;
    }
    caller.lastError = status == ObStatus.STATUS_OBJECT_NAME_EXISTS ? WinError.ERROR_ALREADY_EXISTS
        : WinError.ERROR_SUCCESS;
    return handle[0];
  }

  /**
   * The Win32 half of OpenEventW, OpenMutexW, OpenSemaphoreW, OpenWaitableTimerW: NULL with
   * ERROR_INVALID_PARAMETER for a NULL name, ERROR_FILE_NOT_FOUND for a name not there,
   * ERROR_INVALID_HANDLE for one of another type, ERROR_ACCESS_DENIED for access the object does
   * not grant; else the handle, the last error untouched.
   */
  static long open(EThread caller, String lpName, boolean bInheritHandle, NativeCall call) {
    if (lpName == null) {
      caller.lastError = WinError.ERROR_INVALID_PARAMETER;
      return 0;
    }
    int status = nameStatus(lpName);
    long[] handle = new long[1];
    if (status == NtStatus.STATUS_SUCCESS) {
      status = call.call(handle, openAttributes(lpName, bInheritHandle));
    }
    if (!NtStatus.isSuccess(status)) {
      caller.lastError = WinError.fromNtStatus(status);
      return 0;
    }
    return handle[0];
  }

}
