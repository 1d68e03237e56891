package org.ntsim.io;

import org.ntsim.ex.Pool;
import org.ntsim.ex.PoolTag;
import org.ntsim.hal.Cpu;
import org.ntsim.hal.Machine;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.Kernel;
import org.ntsim.ke.NtStatus;
import org.ntsim.ob.ObjectHeader;
import org.ntsim.ob.ObjectManager;
import org.ntsim.trace.TraceKind;

/**
 * The I/O manager's core: the Driver, Device and File object types ({@link IoObjectTypes}),
 * loading a driver that is a Java class (IoCreateDriver), devices and their stacks
 * (IoCreateDevice, IoDeleteDevice, IoAttachDeviceToDeviceStack, IoGetAttachedDevice,
 * IoDetachDevice), and IRPs: IoAllocateIrp, IoFreeIrp, IoCallDriver, IoMarkIrpPending and the
 * first stage of IoCompleteRequest, which unwinds the stack location by location, calling the
 * completion routines as their control flags say.
 *
 * <p>Invariants: an IRP's CurrentLocation is in 1 .. StackCount while a driver owns it,
 * StackCount + 1 while its issuer does, StackCount + 2 once completed (a second completion is
 * bug check MULTIPLE_IRP_COMPLETE_REQUESTS); a device's StackSize is one more than the device it
 * is attached to.
 *
 * <p>The second stage of completion (IopCompleteRequest: the special kernel APC to the issuing
 * thread that copies buffered data back, writes the I/O status block, signals the event or the
 * file object and queues the user APC) is not here: when the stack is unwound the first stage
 * calls {@link #completeSecondStage}, which hands the IRP to the {@link SecondStage} plugged in
 * with {@link #setSecondStage}, and does nothing without one (the issuer keeps the IRP).
 *
 * <p>Left out: cancellation, IRP lists of threads, associated IRPs, fast I/O calls, the PnP
 * manager (AddDevice is called by {@link #addDevice} for whoever enumerates a device), VPB
 * creation for mountable devices.
 */
public final class IoManager {
  /** STATUS_INVALID_DEVICE_REQUEST, IopInvalidDeviceRequest's status. */
  public static final int STATUS_INVALID_DEVICE_REQUEST = 0xC0000010;
  /** STATUS_CONTINUE_COMPLETION (STATUS_SUCCESS): a completion routine lets unwinding go on. */
  public static final int STATUS_CONTINUE_COMPLETION = NtStatus.STATUS_SUCCESS;
  /** STATUS_INSUFFICIENT_RESOURCES. */
  public static final int STATUS_INSUFFICIENT_RESOURCES = 0xC000009A;
  /** STATUS_OBJECT_NAME_INVALID. */
  public static final int STATUS_OBJECT_NAME_INVALID = 0xC0000033;
  /** IO_NO_INCREMENT. */
  public static final int IO_NO_INCREMENT = 0;
  public static final String DRIVER_DIRECTORY = "\\Driver\\";
  public static final String FILE_SYSTEM_DIRECTORY = "\\FileSystem";
  private static final String SERVICES_KEY =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  /**
   * IopCompleteRequest's place: the second stage of completion, called once the first stage has
   * unwound every stack location of an IRP.
   */
  @FunctionalInterface
  public interface SecondStage {
    void complete(Irp irp, int priorityBoost);
  }

  public final IoObjectTypes types = new IoObjectTypes();
  private final Kernel kernel;
  private final Machine machine;
  private final Pool pool;
  private final ObjectManager ob;
  private final DriverDispatch invalidDeviceRequest = this::invalidDeviceRequest;
  private SecondStage secondStage;

  /**
   * IoInitSystem, as far as it goes here: nothing is allocated and no type entered in
   * \ObjectTypes until the first driver, device or file object is made, so that booting with an
   * I/O manager moves no pool allocation.
   */
  public IoManager(Kernel kernel, Pool pool, ObjectManager ob) {
    this.kernel = kernel;
    this.machine = kernel.machine();
    this.pool = pool;
    this.ob = ob;
  }

  /** Plugs in the second stage of completion (see the class comment). */
  public void setSecondStage(SecondStage stage) {
    this.secondStage = stage;
  }

  // ------------------------------------------------------------------ drivers

  /**
   * IoCreateDriver: a driver object named {@code driverName} (under \Driver or \FileSystem,
   * which is made when its first driver comes) for {@code driver}, whose DriverEntry runs now with
   * its services key as registry path. On success {@code driverOut[0]} is the driver object; a
   * DriverEntry that fails unloads it (its name leaves the namespace) and its status is returned.
   */
  public int createDriver(String driverName, Driver driver, DriverObject[] driverOut) {
    int slash = driverName.lastIndexOf('\\');
    String directory = slash < 0 ? "" : driverName.substring(0, slash);
    if (slash < 0 || slash == driverName.length() - 1 || !(directory.equals("\\Driver")
        || directory.equals(FILE_SYSTEM_DIRECTORY))) {
      return STATUS_OBJECT_NAME_INVALID;
    }
    if (directory.equals(FILE_SYSTEM_DIRECTORY) && ob.lookupPath(FILE_SYSTEM_DIRECTORY) == null) {
      ob.insertPermanentObject(FILE_SYSTEM_DIRECTORY, ob.createDirectoryObject(true));
    }
    long address = ob.allocateObjectBody(types.driver,
        DriverObject.SIZE + DriverObject.EXTENSION_SIZE, true);
    if (address == 0) {
      return STATUS_INSUFFICIENT_RESOURCES;
    }
    DriverObject d = new DriverObject(driverName, driver, address, invalidDeviceRequest);
    ObjectHeader h = ob.createObject(types.driver, d, address);
    int status = ob.insertPermanentObject(driverName, h);
    if (status != NtStatus.STATUS_SUCCESS) {
      ob.dereference(h);
      return status;
    }
    status = driver.driverEntry(this, d, SERVICES_KEY + driverName.substring(slash + 1));
    if (status < 0) {
      ob.makeTemporaryObject(h);
      ob.dereference(h);
      return status;
    }
    driverOut[0] = d;
    return status;
  }

  /**
   * IopUnloadDriver: the driver's Unload routine runs (it deletes its devices), then the driver
   * object leaves the namespace and goes when its last reference does.
   */
  public void unloadDriver(DriverObject driver) {
    if (driver.driverUnload != null) {
      driver.driverUnload.unload(driver);
    }
    ObjectHeader h = driver.objectHeader();
    ob.makeTemporaryObject(h);
    ob.dereference(h);
  }

  /**
   * IopInitializeDevice's call of AddDevice: the PnP manager gives {@code driver} the physical
   * device {@code pdo} it enumerated; the driver creates its device and attaches it over pdo.
   */
  public int addDevice(DriverObject driver, DeviceObject pdo) {
    return driver.addDevice == null ? NtStatus.STATUS_SUCCESS
        : driver.addDevice.addDevice(driver, pdo);
  }

  /** IopInvalidDeviceRequest: every dispatch entry a driver leaves unset. */
  private int invalidDeviceRequest(DeviceObject device, Irp irp) {
    irp.ioStatusStatus = STATUS_INVALID_DEVICE_REQUEST;
    irp.ioStatusInformation = 0;
    completeRequest(irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
  }

  // ------------------------------------------------------------------ devices

  /**
   * IoCreateDevice: a device of {@code driver}, named {@code deviceName} (an absolute path, null
   * for none), with the driver's own {@code deviceExtension}; its flags are
   * DO_DEVICE_INITIALIZING (the driver clears it when done), DO_EXCLUSIVE if asked and
   * DO_DEVICE_HAS_NAME if named, its StackSize 1; it goes first in the driver's device list and
   * references the driver. {@code deviceOut[0]} receives it; a name in use is
   * STATUS_OBJECT_NAME_COLLISION.
   */
  public int createDevice(DriverObject driver, Object deviceExtension, String deviceName,
      int deviceType, int characteristics, boolean exclusive, DeviceObject[] deviceOut) {
    long address = ob.allocateObjectBody(types.device,
        DeviceObject.SIZE + DeviceObject.DEVOBJ_EXTENSION_SIZE, deviceName != null);
    if (address == 0) {
      return STATUS_INSUFFICIENT_RESOURCES;
    }
    DeviceObject device = new DeviceObject(driver, deviceType, characteristics, deviceName,
        address);
    ObjectHeader h = ob.createObject(types.device, device, address);
    if (deviceName != null) {
      int status = ob.insertPermanentObject(deviceName, h);
      if (status != NtStatus.STATUS_SUCCESS) {
        ob.dereference(h);
        return status;
      }
    }
    device.flags = DeviceObject.DO_DEVICE_INITIALIZING
        | (exclusive ? DeviceObject.DO_EXCLUSIVE : 0)
        | (deviceName != null ? DeviceObject.DO_DEVICE_HAS_NAME : 0);
    device.deviceExtension = deviceExtension;
    driver.devices.add(0, device);
    ob.reference(driver.objectHeader());
    deviceOut[0] = device;
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * IoDeleteDevice: the device is marked delete-pending, loses its name, leaves its driver's
   * list, and goes (with its reference on the driver) when its last reference does. The driver
   * detaches it from the device below first (IoDetachDevice).
   */
  public void deleteDevice(DeviceObject device) {
    device.deletePending = true;
    ObjectHeader h = device.objectHeader();
    if (device.deviceName != null) {
      ob.makeTemporaryObject(h);
    }
    device.driverObject.devices.remove(device);
    ob.dereference(h);
    ob.dereference(device.driverObject.objectHeader());
  }

  /**
   * IoAttachDeviceToDeviceStack: attaches {@code source} over the top of {@code target}'s stack
   * ({@link #getAttachedDevice}); source's StackSize becomes that device's plus one. Returns the
   * device attached to, which the driver sends its IRPs to, or null if the top is being deleted.
   */
  public DeviceObject attachDeviceToDeviceStack(DeviceObject source, DeviceObject target) {
    DeviceObject top = getAttachedDevice(target);
    if (top.deletePending) {
      return null;
    }
    top.attachedDevice = source;
    source.attachedTo = top;
    source.stackSize = top.stackSize + 1;
    return top;
  }

  /** IoGetAttachedDevice: the highest device of the stack {@code device} is in. */
  public DeviceObject getAttachedDevice(DeviceObject device) {
    DeviceObject top = device;
    while (top.attachedDevice != null) {
      top = top.attachedDevice;
    }
    return top;
  }

  /** IoDetachDevice: the device attached over {@code target} is detached from it. */
  public void detachDevice(DeviceObject target) {
    DeviceObject above = target.attachedDevice;
    if (above != null) {
      above.attachedTo = null;
      target.attachedDevice = null;
    }
  }

  /**
   * IoCreateStreamFileObjectLite: a file object on {@code device} (and its VPB), with no handle,
   * as a file system makes one for a stream of its own; its Lock is a synchronization event and
   * its Event a notification event, both not signalled, inside the body at their offsets.
   */
  public FileObject createStreamFileObject(DeviceObject device) {
    long address = ob.allocateObjectBody(types.file, FileObject.SIZE, false);
    if (address == 0) {
      return null;
    }
    FileObject file = new FileObject(address);
    file.deviceObject = device;
    file.vpb = device.vpb;
    ob.createObject(types.file, file, address);
    return file;
  }

  // ------------------------------------------------------------------ IRPs

  /**
   * IoAllocateIrp: an IRP with {@code stackSize} stack locations (the target device's
   * StackSize), from non-paged pool tagged 'Irp ', held by its issuer (CurrentLocation
   * StackSize + 1); null when the pool has no room.
   */
  public Irp allocateIrp(int stackSize) {
    if (stackSize < 1 || stackSize > Byte.MAX_VALUE) {
      throw new IllegalArgumentException("stack size " + stackSize);
    }
    long address = pool.allocateNonPaged(Irp.sizeOf(stackSize), Irp.POOL_TAG);
    return address == 0 ? null : new Irp(address, stackSize);
  }

  /** IoFreeIrp: the IRP's block goes back to the pool. */
  public void freeIrp(Irp irp) {
    pool.freePoolWithTag(irp.address, PoolTag.of(Irp.POOL_TAG));
    irp.freed = true;
  }

  /**
   * IoCallDriver: moves the IRP to its next stack location, records {@code device} there, and
   * calls the dispatch routine of the device's driver for that location's major function;
   * returns what the routine returns. With no location left, bug check
   * NO_MORE_IRP_STACK_LOCATIONS (0x35) with the IRP's address.
   */
  public int callDriver(DeviceObject device, Irp irp) {
    if (irp.currentLocation == irp.stackCount + 1) {
      IoStackLocation first = irp.nextStackLocation();
      emit(TraceKind.IRP_ISSUE, irp.address, device.address,
          first == null ? 0 : first.majorFunction);
    }
    irp.currentLocation--;
    if (irp.currentLocation <= 0) {
      kernel.bugCheckEx(BugCheck.NO_MORE_IRP_STACK_LOCATIONS, irp.address, 0, 0, 0,
          "IoCallDriver with no stack location left");
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    IoStackLocation sp = irp.stack[irp.currentLocation - 1];
    sp.deviceObject = device;
    emit(TraceKind.IRP_DISPATCH, irp.address, device.address, irp.currentLocation);
    return device.driverObject.majorFunction[sp.majorFunction].dispatch(device, irp);
  }

  /**
   * IoMarkIrpPending: SL_PENDING_RETURNED in the current stack location: the dispatch routine
   * will return STATUS_PENDING, and IoCompleteRequest will report PendingReturned to the
   * layer above.
   */
  public void markIrpPending(Irp irp) {
    IoStackLocation sp = irp.currentStackLocation();
    sp.control |= IoStackLocation.SL_PENDING_RETURNED;
    emit(TraceKind.IRP_PENDING, irp.address,
        sp.deviceObject == null ? 0 : sp.deviceObject.address, irp.currentLocation);
  }

  /**
   * IoCompleteRequest, its first stage: unwinds the IRP from its current location up. At each
   * location PendingReturned takes that location's SL_PENDING_RETURNED; a completion routine
   * there runs if its flags ask for the IRP's status (success, error) or its cancellation, with
   * the device of the location above (null at the top), and STATUS_MORE_PROCESSING_REQUIRED
   * stops the unwinding, leaving the IRP to the routine's driver; a location without one passes
   * a pending return on to the location above. Once the stack is unwound the second stage runs
   * ({@link #completeSecondStage}). An IRP already completed is bug check
   * MULTIPLE_IRP_COMPLETE_REQUESTS (0x44) with its address.
   */
  public void completeRequest(Irp irp, int priorityBoost) {
    if (irp.currentLocation > irp.stackCount + 1 || irp.freed) {
      kernel.bugCheckEx(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, irp.address, 0, 0, 0,
          "IoCompleteRequest of an IRP already completed");
      return;
    }
    for (irp.currentLocation++; irp.currentLocation <= irp.stackCount + 1;
        irp.currentLocation++) {
      IoStackLocation sp = irp.stack[irp.currentLocation - 2];
      int status = irp.ioStatusStatus;
      irp.pendingReturned = (sp.control & IoStackLocation.SL_PENDING_RETURNED) != 0;
      emit(TraceKind.IRP_COMPLETION, irp.address,
          sp.deviceObject == null ? 0 : sp.deviceObject.address, status & 0xFFFFFFFFL);
      IoCompletionRoutine routine = sp.completionRoutine;
      boolean invoke = routine != null
          && ((status >= 0 && (sp.control & IoStackLocation.SL_INVOKE_ON_SUCCESS) != 0)
          || (status < 0 && (sp.control & IoStackLocation.SL_INVOKE_ON_ERROR) != 0)
          || (irp.cancel && (sp.control & IoStackLocation.SL_INVOKE_ON_CANCEL) != 0));
      if (invoke) {
        Object context = sp.context;
        sp.zero();
        DeviceObject above = irp.currentLocation == irp.stackCount + 1 ? null
            : irp.stack[irp.currentLocation - 1].deviceObject;
        if (routine.complete(above, irp, context)
            == NtStatus.STATUS_MORE_PROCESSING_REQUIRED) {
          return;
        }
      } else {
        if (irp.pendingReturned && irp.currentLocation <= irp.stackCount) {
          irp.stack[irp.currentLocation - 1].control |= IoStackLocation.SL_PENDING_RETURNED;
        }
        sp.zero();
      }
    }
    completeSecondStage(irp, priorityBoost);
  }

  /**
   * IopCompleteRequest's hook: the first stage of IoCompleteRequest calls it once every stack
   * location is unwound; the plugged-in {@link SecondStage} does the rest (see the class comment).
   */
  public void completeSecondStage(Irp irp, int priorityBoost) {
    if (secondStage != null) {
      secondStage.complete(irp, priorityBoost);
    }
  }

  private void emit(TraceKind kind, long a, long b, long c) {
    Cpu cpu = machine.activeCpu();
    if (cpu == null) {
      machine.tracer.emit(machine.nowNs(), -1, kind, a, b, c);
    } else {
      machine.tracer.emit(cpu.clockNs(), cpu.index, kind, a, b, c);
    }
  }
}
