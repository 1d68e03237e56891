package org.ntsim.io;

/** DRIVER_ADD_DEVICE: creates a device of the driver's own and attaches it over {@code pdo}. */
@FunctionalInterface
public interface AddDevice {
  int addDevice(DriverObject driver, DeviceObject pdo);
}
