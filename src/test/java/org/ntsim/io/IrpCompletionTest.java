package org.ntsim.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.ntsim.win32.TestOs.MS;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntsim.ex.PoolTag;
import org.ntsim.ke.BugCheck;
import org.ntsim.ke.BugCheckException;
import org.ntsim.ke.Kdpc;
import org.ntsim.ke.NtStatus;
import org.ntsim.trace.TraceKind;

/**
 * IRPs through a filter, a function and a bottom driver: IoCallDriver, completion routines and
 * their flags, pending returns, STATUS_MORE_PROCESSING_REQUIRED, and the bug checks of a driver
 * that breaks the rules. Sources: Microsoft's driver documentation, cited per test.
 */
class IrpCompletionTest {
  private ThreeDriverStack s;

  @AfterEach
  void tearDown() {
    if (s != null) {
      s.close();
    }
  }

  /**
   * IoAllocateIrp: the IRP is sized for StackSize locations (seed 001's one-location IRP is 0x94
   * bytes: a 0x70 header and one 0x24 IO_STACK_LOCATION) and comes from non-paged pool tagged
   * 'Irp ', which !pool shows.
   */
  @Test
  void anIrpWithOneStackLocationIs0x94BytesOfPoolTaggedIrp() {
    s = new ThreeDriverStack();
    Irp irp = s.io.allocateIrp(1);

    assertThat(irp.size()).isEqualTo(0x94);
    assertThat(s.sys.os.pool.allocationTag(irp.address)).isEqualTo(PoolTag.of("Irp "));
  }

  /**
   * IoAllocateIrp leaves CurrentLocation at StackSize + 1 (the issuer's place), so that
   * IoGetNextIrpStackLocation is the top driver's location (learn.microsoft.com, "Passing IRPs
   * down the driver stack": the caller of IoCallDriver sets up the next lower location).
   */
  @Test
  void aNewIrpHasNoCurrentLocationAndItsNextIsTheTopDevicesLocation() {
    s = new ThreeDriverStack();
    Irp irp = s.readIrp();

    assertThat(irp.currentLocation()).isEqualTo(4);
    assertThat(irp.currentStackLocation()).isNull();
    assertThat(irp.nextStackLocation()).isSameAs(irp.location(3));
  }

  /**
   * IoCallDriver calls the dispatch routine of each device in turn, and IoCompleteRequest calls
   * the completion routines from the bottom up, each with the device of the driver that set it
   * (learn.microsoft.com, IoSetCompletionRoutine; "Implementing an IoCompletion routine").
   */
  @Test
  void anIrpTravelsDownTheStackAndItsCompletionRoutinesRunOnTheWayBackUp() {
    s = new ThreeDriverStack();
    Irp irp = s.readIrp();

    int status = s.io.callDriver(s.filterDevice, irp);

    assertThat(status).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(s.log).containsExactly("dispatch filter", "dispatch function", "dispatch bottom",
        "completion function device function pending false",
        "completion filter device filter pending false");
    assertThat(s.secondStage).containsExactly(irp);
    assertThat(irp.isCompleted()).isTrue();
  }

  /**
   * The completion routine the issuer sets on the top location runs last, with a null device:
   * no stack location belongs to the issuer (learn.microsoft.com, IO_COMPLETION_ROUTINE:
   * DeviceObject is NULL when the routine's driver allocated the IRP without a location of its
   * own).
   */
  @Test
  void theIssuersCompletionRoutineRunsLastWithNoDevice() {
    s = new ThreeDriverStack();
    Irp irp = s.readIrp();
    DeviceObject[] seen = {s.bottomDevice};
    irp.setCompletionRoutine((device, i, context) -> {
      s.log.add("completion issuer");
      seen[0] = device;
      return IoManager.STATUS_CONTINUE_COMPLETION;
    }, null, true, true, true);

    s.io.callDriver(s.filterDevice, irp);

    assertThat(s.log).last().isEqualTo("completion issuer");
    assertThat(seen[0]).isNull();
  }

  /**
   * IoSetCompletionRoutine: with InvokeOnSuccess alone the routine is not called for an IRP
   * completed with an error status (learn.microsoft.com, IoSetCompletionRoutine, InvokeOnError).
   */
  @Test
  void aRoutineForSuccessOnlyIsNotCalledOnError() {
    s = new ThreeDriverStack();
    s.bottomStatus = NtStatus.STATUS_UNSUCCESSFUL;
    Irp irp = s.readIrp();
    boolean[] called = {false};
    irp.setCompletionRoutine((d, i, c) -> {
      called[0] = true;
      return IoManager.STATUS_CONTINUE_COMPLETION;
    }, null, true, false, false);

    s.io.callDriver(s.filterDevice, irp);

    assertThat(called[0]).isFalse();
    assertThat(s.secondStage).containsExactly(irp);
  }

  /** IoSetCompletionRoutine: InvokeOnError calls the routine for an error status. */
  @Test
  void aRoutineForErrorsIsCalledOnError() {
    s = new ThreeDriverStack();
    s.bottomStatus = NtStatus.STATUS_UNSUCCESSFUL;
    Irp irp = s.readIrp();
    int[] status = {0};
    irp.setCompletionRoutine((d, i, c) -> {
      status[0] = i.ioStatusStatus;
      return IoManager.STATUS_CONTINUE_COMPLETION;
    }, null, false, true, false);

    s.io.callDriver(s.filterDevice, irp);

    assertThat(status[0]).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
  }

  /**
   * IoSetCompletionRoutine: InvokeOnCancel calls the routine for a cancelled IRP whatever its
   * status.
   */
  @Test
  void aRoutineForCancelIsCalledForACancelledIrp() {
    s = new ThreeDriverStack();
    Irp irp = s.readIrp();
    irp.cancel = true;
    boolean[] called = {false};
    irp.setCompletionRoutine((d, i, c) -> {
      called[0] = true;
      return IoManager.STATUS_CONTINUE_COMPLETION;
    }, null, false, false, true);

    s.io.callDriver(s.filterDevice, irp);

    assertThat(called[0]).isTrue();
  }

  /**
   * A routine that returns STATUS_MORE_PROCESSING_REQUIRED stops completion: the routines above
   * it do not run and the I/O manager does not finish the IRP (learn.microsoft.com,
   * "Implementing an IoCompletion routine").
   */
  @Test
  void moreProcessingRequiredStopsTheUnwinding() {
    s = new ThreeDriverStack();
    s.filterRoutineReturns = NtStatus.STATUS_MORE_PROCESSING_REQUIRED;
    Irp irp = s.readIrp();
    boolean[] issuer = {false};
    irp.setCompletionRoutine((d, i, c) -> {
      issuer[0] = true;
      return IoManager.STATUS_CONTINUE_COMPLETION;
    }, null, true, true, true);

    s.io.callDriver(s.filterDevice, irp);

    assertThat(issuer[0]).isFalse();
    assertThat(s.secondStage).isEmpty();
    assertThat(irp.isCompleted()).isFalse();
    assertThat(irp.currentStackLocation().deviceObject).isSameAs(s.filterDevice);
  }

  /**
   * After STATUS_MORE_PROCESSING_REQUIRED the driver owns the IRP again; its second
   * IoCompleteRequest resumes with the routine above the one that stopped completion
   * (learn.microsoft.com, "Implementing an IoCompletion routine").
   */
  @Test
  void aSecondCompletionAfterMoreProcessingRequiredResumesAboveTheRoutine() {
    s = new ThreeDriverStack();
    s.filterRoutineReturns = NtStatus.STATUS_MORE_PROCESSING_REQUIRED;
    Irp irp = s.readIrp();
    irp.setCompletionRoutine((d, i, c) -> {
      s.log.add("completion issuer");
      return IoManager.STATUS_CONTINUE_COMPLETION;
    }, null, true, true, true);
    s.io.callDriver(s.filterDevice, irp);

    s.io.completeRequest(irp, IoManager.IO_NO_INCREMENT);

    assertThat(s.log).endsWith("completion filter device filter pending false",
        "completion issuer");
    assertThat(s.secondStage).containsExactly(irp);
  }

  /**
   * A driver that allocates an IRP of its own (IoAllocateIrp) sends it down, and its completion
   * routine frees it (IoFreeIrp) and returns STATUS_MORE_PROCESSING_REQUIRED, so that the I/O
   * manager does not touch it again (learn.microsoft.com, "Implementing an IoCompletion
   * routine"; IoAllocateIrp).
   */
  @Test
  void aDriverReclaimsAndFreesAnIrpItAllocated() {
    s = new ThreeDriverStack();
    Irp irp = s.io.allocateIrp(s.bottomDevice.stackSize);
    irp.nextStackLocation().majorFunction = IrpMajorFunction.IRP_MJ_READ;
    irp.setCompletionRoutine((d, i, c) -> {
      s.io.freeIrp(i);
      return NtStatus.STATUS_MORE_PROCESSING_REQUIRED;
    }, null, true, true, true);
    long irps = irpFrees();

    s.io.callDriver(s.bottomDevice, irp);

    assertThat(s.secondStage).isEmpty();
    assertThat(irpFrees()).isEqualTo(irps + 1);
  }

  /**
   * IoMarkIrpPending sets SL_PENDING_RETURNED; IoCompleteRequest reports it as PendingReturned
   * to the layer above, whose completion routine must mark the IRP pending in turn
   * (learn.microsoft.com, IoMarkIrpPending). Here the bottom driver pends the IRP and completes
   * it from a DPC, as a device's DpcForIsr does.
   */
  @Test
  void anIrpPendedAtTheBottomIsCompletedFromADpcWithPendingReturnedAtEveryLayer() {
    s = new ThreeDriverStack();
    Kdpc dpc = s.sys.os.kernel.initializeDpc("test!DpcForIsr", (d, context, irp, a2) -> {
      ((Irp) irp).ioStatusStatus = NtStatus.STATUS_SUCCESS;
      s.io.completeRequest((Irp) irp, IoManager.IO_NO_INCREMENT);
    }, null, s.sys.os.pool.allocateNonPaged(0x20, "Kdpc"));
    s.bottom = (device, irp) -> {
      s.io.markIrpPending(irp);
      s.sys.os.kernel.insertQueueDpc(dpc, irp, null);
      return NtStatus.STATUS_PENDING;
    };
    Irp irp = s.readIrp();
    int[] status = {0};
    s.sys.systemThread("issuer", 12, () -> {
      status[0] = s.io.callDriver(s.filterDevice, irp);
      return 0;
    });

    s.sys.runFor(MS);

    assertThat(status[0]).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(s.log).contains("completion function device function pending true",
        "completion filter device filter pending true");
    assertThat(irp.pendingReturned).as("what the issuer's second stage sees").isTrue();
    assertThat(s.secondStage).containsExactly(irp);
    assertThat(s.sys.events(TraceKind.IRP_PENDING)).extracting(e -> e.b())
        .containsExactly(s.bottomDevice.address, s.functionDevice.address,
            s.filterDevice.address);
  }

  /**
   * A location without a completion routine passes a pending return up by itself: the I/O
   * manager marks the location above pending (as IoCompleteRequest does for a driver that
   * skipped its location).
   */
  @Test
  void aLayerThatSkipsItsLocationStillPassesPendingReturnedUp() {
    s = new ThreeDriverStack();
    s.filterDriver.majorFunction[IrpMajorFunction.IRP_MJ_READ] = (device, irp) -> {
      irp.skipCurrentStackLocation();
      return s.io.callDriver((DeviceObject) device.deviceExtension, irp);
    };
    Irp[] held = new Irp[1];
    s.bottom = (device, irp) -> {
      s.io.markIrpPending(irp);
      held[0] = irp;
      return NtStatus.STATUS_PENDING;
    };
    Irp irp = s.readIrp();
    boolean[] issuerSaw = {false};
    irp.setCompletionRoutine((d, i, c) -> {
      issuerSaw[0] = i.pendingReturned;
      return IoManager.STATUS_CONTINUE_COMPLETION;
    }, null, true, true, true);
    s.io.callDriver(s.filterDevice, irp);

    s.io.completeRequest(held[0], IoManager.IO_NO_INCREMENT);

    assertThat(issuerSaw[0]).isTrue();
  }

  /**
   * IoSkipCurrentIrpStackLocation: the driver below gets this driver's own location, with its
   * parameters unchanged (learn.microsoft.com, IoSkipCurrentIrpStackLocation).
   */
  @Test
  void skippingTheLocationGivesTheDriverBelowTheSameParameters() {
    s = new ThreeDriverStack();
    s.filterDriver.majorFunction[IrpMajorFunction.IRP_MJ_READ] = (device, irp) -> {
      irp.skipCurrentStackLocation();
      return s.io.callDriver((DeviceObject) device.deviceExtension, irp);
    };
    long[] seen = new long[1];
    s.functionDriver.majorFunction[IrpMajorFunction.IRP_MJ_READ] = (device, irp) -> {
      seen[0] = irp.currentStackLocation().argument1;
      irp.ioStatusStatus = NtStatus.STATUS_SUCCESS;
      s.io.completeRequest(irp, IoManager.IO_NO_INCREMENT);
      return NtStatus.STATUS_SUCCESS;
    };
    Irp irp = s.readIrp();
    irp.nextStackLocation().argument1 = 0x1234;

    s.io.callDriver(s.filterDevice, irp);

    assertThat(seen[0]).isEqualTo(0x1234);
    assertThat(irp.location(3).deviceObject).as("the filter's own location, now the function's")
        .isSameAs(s.functionDevice);
  }

  /**
   * IoCopyCurrentIrpStackLocationToNext copies the parameters but not the completion routine,
   * its context or its control flags (learn.microsoft.com, IoCopyCurrentIrpStackLocationToNext).
   */
  @Test
  void copyingTheLocationLeavesOutTheCompletionRoutine() {
    s = new ThreeDriverStack();
    Irp irp = s.io.allocateIrp(2);
    IoStackLocation top = irp.location(2);
    top.majorFunction = IrpMajorFunction.IRP_MJ_WRITE;
    top.argument2 = 7;
    top.completionRoutine = (d, i, c) -> 0;
    top.context = "ctx";
    top.control = IoStackLocation.SL_INVOKE_ON_SUCCESS;
    irp.currentLocation = 2; // where IoCallDriver leaves it for the top driver

    irp.copyCurrentStackLocationToNext();

    IoStackLocation next = irp.location(1);
    assertThat(next.majorFunction).isEqualTo(IrpMajorFunction.IRP_MJ_WRITE);
    assertThat(next.argument2).isEqualTo(7);
    assertThat(next.completionRoutine).isNull();
    assertThat(next.context).isNull();
    assertThat(next.control).isZero();
  }

  /**
   * Bug check 0x44 MULTIPLE_IRP_COMPLETE_REQUESTS: a driver completes an IRP that was already
   * completed; parameter 1 is the IRP's address (learn.microsoft.com, Bug Check 0x44).
   */
  @Test
  void completingAnIrpTwiceIsBugCheck0x44() {
    s = new ThreeDriverStack();
    Irp irp = s.readIrp();
    s.io.callDriver(s.filterDevice, irp);

    BugCheck stop = stopOf(() -> s.io.completeRequest(irp, IoManager.IO_NO_INCREMENT));

    assertThat(stop.code()).isEqualTo(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS);
    assertThat(stop.p1()).isEqualTo(irp.address);
  }

  /**
   * Bug check 0x35 NO_MORE_IRP_STACK_LOCATIONS: IoCallDriver with no stack location left;
   * parameter 1 is the IRP's address (learn.microsoft.com, Bug Check 0x35). The IRP has one
   * location fewer than the stack needs.
   */
  @Test
  void callingADriverWithNoLocationLeftIsBugCheck0x35() {
    s = new ThreeDriverStack();
    Irp irp = s.io.allocateIrp(s.functionDevice.stackSize);
    irp.nextStackLocation().majorFunction = IrpMajorFunction.IRP_MJ_READ;

    BugCheck stop = stopOf(() -> s.io.callDriver(s.filterDevice, irp));

    assertThat(stop.code()).isEqualTo(BugCheck.NO_MORE_IRP_STACK_LOCATIONS);
    assertThat(stop.p1()).isEqualTo(irp.address);
  }

  /**
   * A major function the driver did not set completes the IRP with
   * STATUS_INVALID_DEVICE_REQUEST (IopInvalidDeviceRequest; learn.microsoft.com, DRIVER_OBJECT:
   * MajorFunction entries a driver does not handle).
   */
  @Test
  void aMajorFunctionTheDriverDidNotSetIsAnInvalidDeviceRequest() {
    s = new ThreeDriverStack();
    Irp irp = s.io.allocateIrp(1);
    irp.nextStackLocation().majorFunction = IrpMajorFunction.IRP_MJ_DEVICE_CONTROL;

    int status = s.io.callDriver(s.bottomDevice, irp);

    assertThat(status).isEqualTo(IoManager.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(irp.ioStatusStatus).isEqualTo(IoManager.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(s.secondStage).containsExactly(irp);
  }

  /** The trace shows the IRP's life: issue, a dispatch at each device, completion at each. */
  @Test
  void theTraceShowsIssueDispatchAndCompletionAtEachLayer() {
    s = new ThreeDriverStack();
    Irp irp = s.readIrp();

    s.io.callDriver(s.filterDevice, irp);

    assertThat(s.sys.events(TraceKind.IRP_ISSUE)).singleElement()
        .satisfies(e -> assertThat(e.b()).isEqualTo(s.filterDevice.address));
    assertThat(s.sys.events(TraceKind.IRP_DISPATCH)).extracting(e -> e.b())
        .containsExactly(s.filterDevice.address, s.functionDevice.address,
            s.bottomDevice.address);
    assertThat(s.sys.events(TraceKind.IRP_COMPLETION)).extracting(e -> e.b())
        .containsExactly(s.bottomDevice.address, s.functionDevice.address,
            s.filterDevice.address);
  }

  private long irpFrees() {
    return s.sys.os.pool.usage().stream().filter(u -> u.tag() == PoolTag.of("Irp "))
        .mapToLong(u -> u.nonPagedFrees()).sum();
  }

  private BugCheck stopOf(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("a bug check").isInstanceOf(BugCheckException.class);
    return ((BugCheckException) thrown).bugCheck();
  }
}
