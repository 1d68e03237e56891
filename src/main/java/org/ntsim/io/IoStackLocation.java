package org.ntsim.io;

/**
 * IO_STACK_LOCATION: one device's part of an IRP: the major and minor function, flags, the
 * Control byte (SL_PENDING_RETURNED, SL_INVOKE_ON_*), four parameter words, the device and file
 * objects, and the completion routine and context that the driver above set. 0x24 bytes on x86.
 */
public final class IoStackLocation {
  public static final int SIZE = 0x24;
  // Control.
  public static final int SL_PENDING_RETURNED = 0x01;
  public static final int SL_ERROR_RETURNED = 0x02;
  public static final int SL_INVOKE_ON_CANCEL = 0x20;
  public static final int SL_INVOKE_ON_SUCCESS = 0x40;
  public static final int SL_INVOKE_ON_ERROR = 0x80;

  public int majorFunction;
  public int minorFunction;
  public int flags;
  public int control;
  /** Parameters.Others.Argument1 to Argument4. */
  public long argument1;
  public long argument2;
  public long argument3;
  public long argument4;
  public DeviceObject deviceObject;
  public FileObject fileObject;
  public IoCompletionRoutine completionRoutine;
  public Object context;

  /** ZeroIrpStackLocation, as IoCompleteRequest leaves a location it has unwound. */
  void zero() {
    minorFunction = 0;
    flags = 0;
    control = 0;
    argument1 = 0;
    argument2 = 0;
    argument3 = 0;
    argument4 = 0;
    fileObject = null;
    completionRoutine = null;
    context = null;
  }

  /** IoCopyCurrentIrpStackLocationToNext: everything above CompletionRoutine; Control 0. */
  void copyTo(IoStackLocation next) {
    next.majorFunction = majorFunction;
    next.minorFunction = minorFunction;
    next.flags = flags;
    next.argument1 = argument1;
    next.argument2 = argument2;
    next.argument3 = argument3;
    next.argument4 = argument4;
    next.deviceObject = deviceObject;
    next.fileObject = fileObject;
    next.completionRoutine = null;
    next.context = null;
    next.control = 0;
  }
}
