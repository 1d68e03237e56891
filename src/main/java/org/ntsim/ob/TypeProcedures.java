package org.ntsim.ob;

import java.util.function.Consumer;
import org.ntsim.ke.KProcess;
import org.ntsim.ke.NtStatus;

/**
 * The procedures an OBJECT_TYPE_INITIALIZER hands the object manager, which calls them for every
 * object of the type (Windows Internals, "Object Methods"): each is optional (null: the object
 * manager's default). Parameters are NT's, in NT's order; objects are passed as their bodies, as
 * NT passes PVOID Object, and processes as the KPROCESS the handle table belongs to.
 *
 * <p>When each is called:
 * <ul>
 *   <li>{@link Open}: a handle was made (ObpIncrementHandleCount), after the handle count went
 *       up; a failure status undoes the count and fails the open with that status;
 *   <li>{@link OkayToClose}: before a handle is closed (ObpCloseHandleTableEntry); false leaves the
 *       handle open and NtClose returns STATUS_HANDLE_NOT_CLOSABLE;
 *   <li>{@link Close}: a handle was closed (ObpDecrementHandleCount), after the count went down,
 *       with the counts as they were before (1 means the last one), before the name check;
 *   <li>{@link Delete}: the last reference went (ObpRemoveObjectRoutine), before the body's pool
 *       block is freed;
 *   <li>{@link Parse}: a name lookup reached an object of the type with a name left, or ended at
 *       it while opening (ObpLookupObjectName); it finishes the lookup in its own namespace or
 *       hands back a new name to start again from the root (STATUS_REPARSE);
 *   <li>{@link QueryName}: ObQueryNameString for an object whose name is not the namespace's;
 *   <li>{@link Dump} and {@link Security}: kept for the debugger and for security descriptors,
 *       which ntsim does not have yet; nothing calls them.
 * </ul>
 */
public final class TypeProcedures {
  private TypeProcedures() {}

  /** OB_OPEN_REASON: why a handle is being made. */
  public enum OpenReason {
    ObCreateHandle, ObOpenHandle, ObDuplicateHandle, ObInheritHandle
  }

  /** OB_DUMP_CONTROL: where a dump goes, line by line, and how much it says. */
  public record DumpControl(Consumer<String> stream, int detail) {}

  /** OB_DUMP_METHOD. */
  @FunctionalInterface
  public interface Dump {
    void dump(Object object, DumpControl control);
  }

  /**
   * OB_OPEN_METHOD: {@code handleCount} is the process's handles to the object, this one included,
   * when the type maintains handle counts, else 0. Returns an NTSTATUS.
   */
  @FunctionalInterface
  public interface Open {
    int open(OpenReason openReason, KProcess process, Object object, int grantedAccess,
        long handleCount);
  }

  /**
   * OB_CLOSE_METHOD: {@code processHandleCount} (0 unless the type maintains handle counts) and
   * {@code systemHandleCount} are the counts before this handle went.
   */
  @FunctionalInterface
  public interface Close {
    void close(KProcess process, Object object, int grantedAccess, long processHandleCount,
        long systemHandleCount);
  }

  /** OB_DELETE_METHOD: the object's last reference is gone; its memory goes next. */
  @FunctionalInterface
  public interface Delete {
    void delete(Object object);
  }

  /**
   * OB_PARSE_METHOD: {@code parseObject} was reached with {@code remainingName} left of
   * {@code completeName} (empty, or starting with a backslash); {@code objectType} is the type the
   * caller wants (null: any); {@code context} the caller's ParseContext.
   */
  @FunctionalInterface
  public interface Parse {
    ParseResult parse(Object parseObject, ObjectType objectType, int desiredAccess,
        int accessMode, int attributes, String completeName, String remainingName,
        Object context);
  }

  /**
   * What a parse procedure decided: STATUS_SUCCESS and the object found (a body the procedure has
   * referenced once for the caller), STATUS_REPARSE and a new complete name to look up from the
   * root, or a failure status.
   */
  public record ParseResult(int status, Object object, String completeName) {
    public static ParseResult found(Object referencedBody) {
      return new ParseResult(NtStatus.STATUS_SUCCESS, referencedBody, null);
    }

    public static ParseResult reparse(String newCompleteName) {
      return new ParseResult(ObStatus.STATUS_REPARSE, null, newCompleteName);
    }

    public static ParseResult failed(int status) {
      return new ParseResult(status, null, null);
    }
  }

  /** SECURITY_OPERATION_CODE. */
  public enum SecurityOperationCode {
    SetSecurityDescriptor, QuerySecurityDescriptor, DeleteSecurityDescriptor,
    AssignSecurityDescriptor
  }

  /** OB_SECURITY_METHOD, without the descriptor (ntsim has none). Returns an NTSTATUS. */
  @FunctionalInterface
  public interface Security {
    int security(Object object, SecurityOperationCode operationCode, int securityInformation,
        int previousMode);
  }

  /** OB_QUERYNAME_METHOD: the object's full name, or null when it has none. */
  @FunctionalInterface
  public interface QueryName {
    String queryName(Object object, boolean hasObjectName, int mode);
  }

  /** OB_OKAYTOCLOSE_METHOD: whether {@code handle} may be closed now. */
  @FunctionalInterface
  public interface OkayToClose {
    boolean okayToClose(KProcess process, Object object, long handle, int previousMode);
  }
}
