package org.ntsim.io;

import org.ntsim.ob.ObjectBody;

/**
 * DEVICE_OBJECT: a device of a driver, in a stack of devices attached one over another
 * (AttachedDevice points up, the device object extension's AttachedTo down); StackSize is the
 * number of stack locations an IRP sent to it needs (1 for a device at the bottom, one more
 * than the device below for an attached one). DeviceExtension is the driver's own Java object.
 *
 * <p>Left out: the device queue and StartIo's current IRP, the timer, the security descriptor,
 * power state.
 */
public final class DeviceObject extends ObjectBody {
  /** sizeof(DEVICE_OBJECT) on x86; the DEVOBJ_EXTENSION (0x2C) follows the device extension. */
  public static final int SIZE = 0xB8;
  public static final int DEVOBJ_EXTENSION_SIZE = 0x2C;

  // Flags (wdm.h).
  public static final int DO_VERIFY_VOLUME = 0x00000002;
  public static final int DO_BUFFERED_IO = 0x00000004;
  public static final int DO_EXCLUSIVE = 0x00000008;
  public static final int DO_DIRECT_IO = 0x00000010;
  public static final int DO_MAP_IO_BUFFER = 0x00000020;
  public static final int DO_DEVICE_HAS_NAME = 0x00000040;
  public static final int DO_DEVICE_INITIALIZING = 0x00000080;
  public static final int DO_POWER_PAGABLE = 0x00002000;

  // DeviceType (FILE_DEVICE_*, devioctl.h).
  public static final int FILE_DEVICE_CD_ROM = 0x02;
  public static final int FILE_DEVICE_CD_ROM_FILE_SYSTEM = 0x03;
  public static final int FILE_DEVICE_CONTROLLER = 0x04;
  public static final int FILE_DEVICE_DISK = 0x07;
  public static final int FILE_DEVICE_DISK_FILE_SYSTEM = 0x08;
  public static final int FILE_DEVICE_FILE_SYSTEM = 0x09;
  public static final int FILE_DEVICE_KEYBOARD = 0x0B;
  public static final int FILE_DEVICE_MAILSLOT = 0x0C;
  public static final int FILE_DEVICE_NAMED_PIPE = 0x11;
  public static final int FILE_DEVICE_NETWORK = 0x12;
  public static final int FILE_DEVICE_NULL = 0x15;
  public static final int FILE_DEVICE_TAPE = 0x1F;
  public static final int FILE_DEVICE_UNKNOWN = 0x22;
  public static final int FILE_DEVICE_VIRTUAL_DISK = 0x24;
  public static final int FILE_DEVICE_MASS_STORAGE = 0x2D;

  public final DriverObject driverObject;
  public final int deviceType;
  public final int characteristics;
  /** The name under \Device, or null for an unnamed device. */
  public final String deviceName;
  public int flags;
  public int stackSize = 1;
  /** The device attached over this one, or null at the top of its stack. */
  public DeviceObject attachedDevice;
  /** DEVOBJ_EXTENSION.AttachedTo: the device this one is attached over, or null. */
  public DeviceObject attachedTo;
  public Object deviceExtension;
  /** VPB: the volume parameter block of a mountable device (disk, CD-ROM, tape), else null. */
  public Object vpb;
  /** The body's address in the pool. */
  public final long address;
  /** DOE_DELETE_PENDING: IoDeleteDevice was called. */
  boolean deletePending;

  DeviceObject(DriverObject driverObject, int deviceType, int characteristics, String deviceName,
      long address) {
    this.driverObject = driverObject;
    this.deviceType = deviceType;
    this.characteristics = characteristics;
    this.deviceName = deviceName;
    this.address = address;
  }

  public boolean isDeletePending() {
    return deletePending;
  }
}
