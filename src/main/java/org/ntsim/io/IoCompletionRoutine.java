package org.ntsim.io;

/**
 * IO_COMPLETION_ROUTINE: called by IoCompleteRequest as it unwinds the location of the driver
 * that set it (IoSetCompletionRoutine), with that driver's device (null for the issuer's own
 * location above the stack). Returns STATUS_MORE_PROCESSING_REQUIRED to stop the unwinding and
 * keep the IRP, anything else (STATUS_CONTINUE_COMPLETION) to go on.
 */
@FunctionalInterface
public interface IoCompletionRoutine {
  int complete(DeviceObject device, Irp irp, Object context);
}
