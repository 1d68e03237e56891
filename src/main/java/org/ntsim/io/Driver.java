package org.ntsim.io;

/**
 * A driver's code: a Java class, as a guest program is. The I/O manager calls
 * {@link #driverEntry} once, when it loads the driver (IoCreateDriver); DriverEntry fills the
 * driver object's dispatch table and may set its AddDevice and Unload routines.
 */
@FunctionalInterface
public interface Driver {
  /** DriverEntry: initialises {@code driver}; a failure status unloads it. */
  int driverEntry(IoManager io, DriverObject driver, String registryPath);
}
