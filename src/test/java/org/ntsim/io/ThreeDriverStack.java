package org.ntsim.io;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.ke.NtStatus;
import org.ntsim.win32.TestOs;

/**
 * A booted system with three drivers whose devices form one stack: a filter over a function
 * device over a bottom device. Each upper driver passes IRP_MJ_READ down with a completion
 * routine of its own that records its call; the bottom driver completes the IRP at once with
 * {@link #bottomStatus}, unless a test sets {@link #bottom} to a dispatch routine of its own.
 */
final class ThreeDriverStack implements AutoCloseable {
  final TestOs sys = TestOs.boot(1);
  final IoManager io = sys.os.executive.io();
  final List<String> log = new ArrayList<>();
  final List<Irp> secondStage = new ArrayList<>();
  int bottomStatus = NtStatus.STATUS_SUCCESS;
  DriverDispatch bottom;
  /** What the filter's completion routine returns. */
  int filterRoutineReturns = IoManager.STATUS_CONTINUE_COMPLETION;
  DriverObject bottomDriver;
  DriverObject functionDriver;
  DriverObject filterDriver;
  DeviceObject bottomDevice;
  DeviceObject functionDevice;
  DeviceObject filterDevice;

  ThreeDriverStack() {
    io.setSecondStage((irp, boost) -> secondStage.add(irp));
    DriverObject[] d = new DriverObject[1];
    DeviceObject[] dev = new DeviceObject[1];
    check(io.createDriver("\\Driver\\Bottom", (mgr, driver, path) -> {
      driver.majorFunction[IrpMajorFunction.IRP_MJ_READ] = (device, irp) -> {
        log.add("dispatch bottom");
        if (bottom != null) {
          return bottom.dispatch(device, irp);
        }
        irp.ioStatusStatus = bottomStatus;
        mgr.completeRequest(irp, IoManager.IO_NO_INCREMENT);
        return bottomStatus;
      };
      return NtStatus.STATUS_SUCCESS;
    }, d));
    bottomDriver = d[0];
    check(io.createDevice(bottomDriver, null, "\\Device\\Bottom0",
        DeviceObject.FILE_DEVICE_DISK, 0, false, dev));
    bottomDevice = dev[0];
    check(io.createDriver("\\Driver\\Function", passDown("function"), d));
    functionDriver = d[0];
    check(io.createDevice(functionDriver, null, null, DeviceObject.FILE_DEVICE_DISK, 0, false,
        dev));
    functionDevice = dev[0];
    functionDevice.deviceExtension = io.attachDeviceToDeviceStack(functionDevice, bottomDevice);
    check(io.createDriver("\\Driver\\Filter", passDown("filter"), d));
    filterDriver = d[0];
    check(io.createDevice(filterDriver, null, null, DeviceObject.FILE_DEVICE_DISK, 0, false,
        dev));
    filterDevice = dev[0];
    filterDevice.deviceExtension = io.attachDeviceToDeviceStack(filterDevice, functionDevice);
  }

  /**
   * An upper driver: IRP_MJ_READ is copied to the next location with a completion routine that
   * logs, propagates a pending return (IoMarkIrpPending when PendingReturned) and returns
   * STATUS_CONTINUE_COMPLETION (the filter's returns {@link #filterRoutineReturns}); the IRP goes
   * to the device below, kept in the device extension.
   */
  private Driver passDown(String name) {
    return (mgr, driver, path) -> {
      driver.majorFunction[IrpMajorFunction.IRP_MJ_READ] = (device, irp) -> {
        log.add("dispatch " + name);
        irp.copyCurrentStackLocationToNext();
        irp.setCompletionRoutine((dev, i, context) -> {
          log.add("completion " + context + " device " + (dev == null ? null
              : dev == filterDevice ? "filter" : dev == functionDevice ? "function" : "?")
              + " pending " + i.pendingReturned);
          if (i.pendingReturned) {
            mgr.markIrpPending(i);
          }
          return name.equals("filter") ? filterRoutineReturns
              : IoManager.STATUS_CONTINUE_COMPLETION;
        }, name, true, true, true);
        return mgr.callDriver((DeviceObject) device.deviceExtension, irp);
      };
      return NtStatus.STATUS_SUCCESS;
    };
  }

  /** An IRP_MJ_READ IRP for the top of the stack, held by its issuer. */
  Irp readIrp() {
    Irp irp = io.allocateIrp(filterDevice.stackSize);
    irp.nextStackLocation().majorFunction = IrpMajorFunction.IRP_MJ_READ;
    return irp;
  }

  private static void check(int status) {
    if (status != NtStatus.STATUS_SUCCESS) {
      throw new AssertionError(String.format("status 0x%08X", status));
    }
  }

  @Override
  public void close() {
    sys.close();
  }
}
