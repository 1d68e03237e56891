package org.ntsim.io;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ob.ObjectBody;

/**
 * DRIVER_OBJECT: a loaded driver, named {@code \Driver\X} or {@code \FileSystem\X}, with its
 * dispatch table (MajorFunction, IRP_MJ_CREATE to IRP_MJ_PNP, every entry
 * IopInvalidDeviceRequest until DriverEntry sets it), its fast I/O table, its DriverEntry,
 * AddDevice and Unload routines, and the list of its devices (newest first, as IoCreateDevice
 * links them).
 *
 * <p>Left out: DriverStart, DriverSize, DriverSection (a driver is a Java class, not an image),
 * the driver extension's client extensions, StartIo.
 */
public final class DriverObject extends ObjectBody {
  /** sizeof(DRIVER_OBJECT) on x86. */
  public static final int SIZE = 0xA8;
  /** sizeof(DRIVER_EXTENSION) on x86, allocated after the driver object as NT does. */
  public static final int EXTENSION_SIZE = 0x1C;

  public final String driverName;
  public final Driver driverInit;
  public final DriverDispatch[] majorFunction = new DriverDispatch[IrpMajorFunction.COUNT];
  /** FAST_IO_DISPATCH: the fast I/O table, null until a file system sets it. */
  public Object fastIoDispatch;
  public AddDevice addDevice;
  public DriverUnload driverUnload;
  /** The body's address in the pool. */
  public final long address;
  final List<DeviceObject> devices = new ArrayList<>();

  DriverObject(String driverName, Driver driverInit, long address, DriverDispatch invalid) {
    this.driverName = driverName;
    this.driverInit = driverInit;
    this.address = address;
    java.util.Arrays.fill(majorFunction, invalid);
  }

  /** DriverObject->DeviceObject and the NextDevice chain: the driver's devices, newest first. */
  public List<DeviceObject> deviceObjects() {
    return List.copyOf(devices);
  }
}
