package org.ntsim.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObStatus;

/**
 * Driver and device objects, and stacks of devices: IoCreateDriver, IoCreateDevice,
 * IoDeleteDevice, IoAttachDeviceToDeviceStack, IoGetAttachedDevice, IoDetachDevice. Sources:
 * Microsoft's driver documentation, cited per test.
 */
class DeviceStackTest {
  private ThreeDriverStack s;

  @AfterEach
  void tearDown() {
    if (s != null) {
      s.close();
    }
  }

  /**
   * IoInitSystem here makes the types without entering them: a booted system has no Driver,
   * Device or File type in \ObjectTypes until the first such object, so no boot allocation moves.
   */
  @Test
  void bootEntersNoIoTypeUntilTheFirstObject() {
    org.ntsim.win32.TestOs sys = org.ntsim.win32.TestOs.boot(1);
    try {
      assertThat(sys.os.ob.objectType("Driver")).isNull();
      assertThat(sys.os.ob.objectType("Device")).isNull();
      assertThat(sys.os.ob.objectType("File")).isNull();
    } finally {
      sys.close();
    }
  }

  /** A driver object is named \Driver\Name in the object namespace (DRIVER_OBJECT.DriverName). */
  @Test
  void aDriverObjectIsNamedUnderDriver() {
    s = new ThreeDriverStack();

    assertThat(s.sys.os.ob.lookupPath("\\Driver\\Filter").body).isSameAs(s.filterDriver);
  }

  /** A file system driver is named under \FileSystem, which its first one creates. */
  @Test
  void aFileSystemDriverIsNamedUnderFileSystem() {
    s = new ThreeDriverStack();
    DriverObject[] d = new DriverObject[1];

    int status = s.io.createDriver("\\FileSystem\\Fat", (io, driver, path) ->
        NtStatus.STATUS_SUCCESS, d);

    assertThat(status).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(s.sys.os.ob.lookupPath("\\FileSystem\\Fat").body).isSameAs(d[0]);
  }

  /** DriverEntry receives the driver's services key as its registry path. */
  @Test
  void driverEntryGetsItsServicesKey() {
    s = new ThreeDriverStack();
    String[] seen = new String[1];

    s.io.createDriver("\\Driver\\Keyed", (io, driver, path) -> {
      seen[0] = path;
      return NtStatus.STATUS_SUCCESS;
    }, new DriverObject[1]);

    assertThat(seen[0])
        .isEqualTo("\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Keyed");
  }

  /** A DriverEntry that fails leaves no driver object behind (learn.microsoft.com, DriverEntry). */
  @Test
  void aDriverWhoseEntryFailsIsNotLoaded() {
    s = new ThreeDriverStack();

    int status = s.io.createDriver("\\Driver\\Broken", (io, driver, path) ->
        NtStatus.STATUS_UNSUCCESSFUL, new DriverObject[1]);

    assertThat(status).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
    assertThat(s.sys.os.ob.lookupPath("\\Driver\\Broken")).isNull();
  }

  /**
   * IoCreateDevice: a new device has DO_DEVICE_INITIALIZING set until its driver clears it, and a
   * StackSize of 1 (learn.microsoft.com, IoCreateDevice; DEVICE_OBJECT).
   */
  @Test
  void aNewDeviceIsInitializingWithAStackSizeOfOne() {
    s = new ThreeDriverStack();

    assertThat(s.bottomDevice.flags & DeviceObject.DO_DEVICE_INITIALIZING).isNotZero();
    assertThat(s.bottomDevice.flags & DeviceObject.DO_DEVICE_HAS_NAME).isNotZero();
    assertThat(s.bottomDevice.stackSize).isEqualTo(1);
    assertThat(s.bottomDriver.deviceObjects()).containsExactly(s.bottomDevice);
  }

  /** IoCreateDevice: a name already in use is STATUS_OBJECT_NAME_COLLISION. */
  @Test
  void aDeviceNameInUseIsACollision() {
    s = new ThreeDriverStack();
    DeviceObject[] dev = new DeviceObject[1];

    int status = s.io.createDevice(s.bottomDriver, null, "\\Device\\Bottom0",
        DeviceObject.FILE_DEVICE_DISK, 0, false, dev);

    assertThat(status).isEqualTo(ObStatus.STATUS_OBJECT_NAME_COLLISION);
    assertThat(dev[0]).isNull();
  }

  /**
   * IoAttachDeviceToDeviceStack: the new device's StackSize is the attached-to device's plus one
   * (learn.microsoft.com, IoAttachDeviceToDeviceStack).
   */
  @Test
  void anAttachedDeviceNeedsOneMoreStackLocation() {
    s = new ThreeDriverStack();

    assertThat(s.functionDevice.stackSize).isEqualTo(2);
    assertThat(s.filterDevice.stackSize).isEqualTo(3);
  }

  /**
   * IoAttachDeviceToDeviceStack attaches to the top of the target's stack and returns the device
   * it attached to, which need not be the target (learn.microsoft.com,
   * IoAttachDeviceToDeviceStack: "the topmost device object").
   */
  @Test
  void attachingToABottomDeviceAttachesToTheTopOfItsStack() {
    s = new ThreeDriverStack();
    DeviceObject[] dev = new DeviceObject[1];
    s.io.createDevice(s.filterDriver, null, null, DeviceObject.FILE_DEVICE_DISK, 0, false, dev);

    DeviceObject attachedTo = s.io.attachDeviceToDeviceStack(dev[0], s.bottomDevice);

    assertThat(attachedTo).isSameAs(s.filterDevice);
    assertThat(dev[0].stackSize).isEqualTo(4);
  }

  /** IoGetAttachedDevice: the highest device in the stack. */
  @Test
  void theAttachedDeviceOfTheBottomIsTheTop() {
    s = new ThreeDriverStack();

    assertThat(s.io.getAttachedDevice(s.bottomDevice)).isSameAs(s.filterDevice);
  }

  /** IoDetachDevice: the device over the target leaves the stack. */
  @Test
  void detachingLeavesTheTargetAtTheTop() {
    s = new ThreeDriverStack();

    s.io.detachDevice(s.functionDevice);

    assertThat(s.io.getAttachedDevice(s.bottomDevice)).isSameAs(s.functionDevice);
    assertThat(s.filterDevice.attachedTo).isNull();
  }

  /** IoDeleteDevice: the device's name leaves the namespace and its driver's list. */
  @Test
  void aDeletedDeviceLosesItsNameAndLeavesItsDriver() {
    s = new ThreeDriverStack();

    s.io.deleteDevice(s.bottomDevice);

    assertThat(s.sys.os.ob.lookupPath("\\Device\\Bottom0")).isNull();
    assertThat(s.bottomDriver.deviceObjects()).isEmpty();
  }

  /**
   * FILE_OBJECT on Vista x86: the Event a synchronous request's issuer waits on is a
   * notification event at +0x5C, as seed 001's !process output shows.
   */
  @Test
  void aFileObjectsEventIsANotificationEventAt0x5C() {
    s = new ThreeDriverStack();

    FileObject file = s.io.createStreamFileObject(s.bottomDevice);

    assertThat(file.event.address).isEqualTo(file.address + 0x5C);
    assertThat(file.event.isNotification()).isTrue();
    assertThat(file.deviceObject).isSameAs(s.bottomDevice);
  }
}
