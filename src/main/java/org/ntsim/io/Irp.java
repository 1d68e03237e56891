package org.ntsim.io;

/**
 * IRP: an I/O request packet: a header (0x70 bytes on x86) and StackCount stack locations
 * (0x24 each), one for each device of the stack it is sent down, in one block of non-paged pool
 * tagged 'Irp ' (so an IRP with one location is 0x94 bytes, type 6, as seed 001's {@code !irp}
 * shows). Locations are numbered from 1; CurrentLocation is StackCount + 1 when the IRP is made,
 * falls by one at each IoCallDriver and rises by one at each location IoCompleteRequest unwinds,
 * so that it is StackCount + 2 once the IRP has been completed.
 *
 * <p>Left out, for the second stage of completion: the MDL, the system buffer, the user I/O
 * status block, event and buffer, the thread and its IRP list, cancellation.
 */
public final class Irp {
  /** IO_TYPE_IRP. */
  public static final int IO_TYPE_IRP = 6;
  /** sizeof(IRP) on x86 without its stack locations. */
  public static final int HEADER_SIZE = 0x70;
  /** The pool tag, 'Irp '. */
  public static final String POOL_TAG = "Irp ";

  public final long address;
  public final int stackCount;
  final IoStackLocation[] stack;
  int currentLocation;
  public int flags;
  public boolean pendingReturned;
  public boolean cancel;
  /** IoStatus.Status and IoStatus.Information. */
  public int ioStatusStatus;
  public long ioStatusInformation;
  /** RequestorMode: KernelMode (0) or UserMode (1). */
  public int requestorMode;
  /** Tail.Overlay.OriginalFileObject. */
  public FileObject originalFileObject;
  /** Tail.Overlay.Thread: the issuing thread, set by whoever issues the IRP (a later stage). */
  public Object thread;
  /** Tail.Overlay.DriverContext: the current owner's own use. */
  public Object driverContext;
  boolean freed;

  Irp(long address, int stackCount) {
    this.address = address;
    this.stackCount = stackCount;
    this.stack = new IoStackLocation[stackCount];
    for (int i = 0; i < stackCount; i++) {
      stack[i] = new IoStackLocation();
    }
    this.currentLocation = stackCount + 1;
  }

  /** IoSizeOfIrp: the IRP's size in bytes with {@code stackSize} stack locations. */
  public static int sizeOf(int stackSize) {
    return HEADER_SIZE + stackSize * IoStackLocation.SIZE;
  }

  /** Size: the header's size field, this IRP's bytes. */
  public int size() {
    return sizeOf(stackCount);
  }

  /** CurrentLocation. */
  public int currentLocation() {
    return currentLocation;
  }

  /** Stack location {@code n} (1 .. StackCount). */
  public IoStackLocation location(int n) {
    return stack[n - 1];
  }

  /**
   * IoGetCurrentIrpStackLocation: the location of the driver that has the IRP now; null while
   * the issuer holds it (CurrentLocation above StackCount).
   */
  public IoStackLocation currentStackLocation() {
    return currentLocation >= 1 && currentLocation <= stackCount ? stack[currentLocation - 1]
        : null;
  }

  /**
   * IoGetNextIrpStackLocation: the location of the device below, which the current driver fills
   * before IoCallDriver; null when there is none.
   */
  public IoStackLocation nextStackLocation() {
    int next = currentLocation - 1;
    return next >= 1 && next <= stackCount ? stack[next - 1] : null;
  }

  /**
   * IoSkipCurrentIrpStackLocation: the next IoCallDriver gives the device below this driver's
   * own location, unchanged, and no completion routine of this driver runs.
   */
  public void skipCurrentStackLocation() {
    currentLocation++;
  }

  /**
   * IoCopyCurrentIrpStackLocationToNext: the device below gets a copy of this driver's location
   * without its completion routine, context and control flags. With no location below, NT's
   * copy lands past the IRP's end (not modelled here) and the IoCallDriver that follows is bug
   * check NO_MORE_IRP_STACK_LOCATIONS.
   */
  public void copyCurrentStackLocationToNext() {
    IoStackLocation next = nextStackLocation();
    if (next != null) {
      currentStackLocation().copyTo(next);
    }
  }

  /**
   * IoSetCompletionRoutine: {@code routine} runs with {@code context} when the device below
   * completes the IRP, as the three flags say: on a success status, on an error status, on a
   * cancelled IRP. With no location below it writes nothing (see
   * {@link #copyCurrentStackLocationToNext}).
   */
  public void setCompletionRoutine(IoCompletionRoutine routine, Object context,
      boolean invokeOnSuccess, boolean invokeOnError, boolean invokeOnCancel) {
    IoStackLocation next = nextStackLocation();
    if (next == null) {
      return;
    }
    next.completionRoutine = routine;
    next.context = context;
    next.control = (invokeOnSuccess ? IoStackLocation.SL_INVOKE_ON_SUCCESS : 0)
        | (invokeOnError ? IoStackLocation.SL_INVOKE_ON_ERROR : 0)
        | (invokeOnCancel ? IoStackLocation.SL_INVOKE_ON_CANCEL : 0);
  }

  /** Whether IoCompleteRequest has unwound the whole stack (CurrentLocation StackCount + 2). */
  public boolean isCompleted() {
    return currentLocation > stackCount + 1;
  }
}
