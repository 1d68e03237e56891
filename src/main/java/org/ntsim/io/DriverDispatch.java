package org.ntsim.io;

/**
 * DRIVER_DISPATCH: an entry of a driver's MajorFunction table, called by IoCallDriver at the
 * IRP's current stack location. Returns the IRP's status, or STATUS_PENDING after
 * IoMarkIrpPending.
 */
@FunctionalInterface
public interface DriverDispatch {
  int dispatch(DeviceObject device, Irp irp);
}
