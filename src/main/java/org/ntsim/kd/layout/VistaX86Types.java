package org.ntsim.kd.layout;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel structures the console lays out and {@code dt} prints, at Windows Vista x86's
 * offsets and sizes (ntoskrnl 6.0.6000.16386, as its public symbols give them: the
 * {@code dt -b -v _ETHREAD} listing published at computer.forensikblog.de/2007/01/
 * ethread-6-0-6000-16386.html, and the Vista SP0 x86 type tables Volatility generated from the
 * same symbols, volatility/plugins/overlays/windows/vista_sp0_x86_vtypes.py).
 *
 * <p>Invariants: each type's members are listed in offset order with the symbols' names and
 * WinDbg's type words; the sizes are the symbols' (_KTHREAD 0x1e0, _ETHREAD 0x288, _EPROCESS
 * 0x270, _KPCR 0x20b8 with its _KPRCB at +0x120, _OBJECT_HEADER's body at +0x18, _MMPFN 0x18).
 *
 * <p>Left out: members ntsim does not model are not listed (a {@code dt} of a type shows the ones
 * listed here, and their neighbours where a reader looks for them); unions of unnamed types are
 * listed as {@code __unnamed}, and the few opened are the ones the image fills.
 */
public final class VistaX86Types {
  public static final StructType LIST_ENTRY = new TypeBuilder("_LIST_ENTRY", 0x8)
      .ptr(0x0, "Flink", "_LIST_ENTRY").ptr(0x4, "Blink", "_LIST_ENTRY").build();

  public static final StructType CLIENT_ID = new TypeBuilder("_CLIENT_ID", 0x8)
      .ptr(0x0, "UniqueProcess", "").ptr(0x4, "UniqueThread", "").build();

  public static final StructType LARGE_INTEGER = new TypeBuilder("_LARGE_INTEGER", 0x8)
      .u4(0x0, "LowPart").i4(0x4, "HighPart").i8(0x0, "QuadPart").build();

  public static final StructType ULARGE_INTEGER = new TypeBuilder("_ULARGE_INTEGER", 0x8)
      .u4(0x0, "LowPart").u4(0x4, "HighPart").u8(0x0, "QuadPart").build();

  public static final StructType DISPATCHER_HEADER = new TypeBuilder("_DISPATCHER_HEADER", 0x10)
      .uchar(0x0, "Type").uchar(0x1, "Abandoned").uchar(0x1, "Absolute").uchar(0x1, "NpxIrql")
      .uchar(0x1, "Signalling").uchar(0x2, "Size").uchar(0x2, "Hand").uchar(0x3, "Inserted")
      .uchar(0x3, "DebugActive").uchar(0x3, "DpcActive").i4(0x0, "Lock")
      .i4(0x4, "SignalState").list(0x8, "WaitListHead").build();

  public static final StructType KAPC_STATE = new TypeBuilder("_KAPC_STATE", 0x18)
      .array(0x0, "ApcListHead", 2, "_LIST_ENTRY").ptr(0x10, "Process", "_KPROCESS")
      .uchar(0x14, "KernelApcInProgress").uchar(0x15, "KernelApcPending")
      .uchar(0x16, "UserApcPending").build();

  public static final StructType KWAIT_BLOCK = new TypeBuilder("_KWAIT_BLOCK", 0x18)
      .list(0x0, "WaitListEntry").ptr(0x8, "Thread", "_KTHREAD").ptr(0xc, "Object", "")
      .ptr(0x10, "NextWaitBlock", "_KWAIT_BLOCK").u2(0x14, "WaitKey").uchar(0x16, "WaitType")
      .uchar(0x17, "SpareByte").build();

  public static final StructType KEVENT = new TypeBuilder("_KEVENT", 0x10)
      .struct(0x0, "Header", "_DISPATCHER_HEADER").build();

  public static final StructType KMUTANT = new TypeBuilder("_KMUTANT", 0x20)
      .struct(0x0, "Header", "_DISPATCHER_HEADER").list(0x10, "MutantListEntry")
      .ptr(0x18, "OwnerThread", "_KTHREAD").uchar(0x1c, "Abandoned").uchar(0x1d, "ApcDisable")
      .build();

  public static final StructType KSEMAPHORE = new TypeBuilder("_KSEMAPHORE", 0x14)
      .struct(0x0, "Header", "_DISPATCHER_HEADER").i4(0x10, "Limit").build();

  public static final StructType KTIMER = new TypeBuilder("_KTIMER", 0x28)
      .struct(0x0, "Header", "_DISPATCHER_HEADER").struct(0x10, "DueTime", "_ULARGE_INTEGER")
      .list(0x18, "TimerListEntry").ptr(0x20, "Dpc", "_KDPC").i4(0x24, "Period").build();

  public static final StructType KQUEUE = new TypeBuilder("_KQUEUE", 0x28)
      .struct(0x0, "Header", "_DISPATCHER_HEADER").list(0x10, "EntryListHead")
      .u4(0x18, "CurrentCount").u4(0x1c, "MaximumCount").list(0x20, "ThreadListHead").build();

  public static final StructType KDPC = new TypeBuilder("_KDPC", 0x20)
      .uchar(0x0, "Type").uchar(0x1, "Importance").u2(0x2, "Number").list(0x4, "DpcListEntry")
      .ptr(0xc, "DeferredRoutine", "").ptr(0x10, "DeferredContext", "")
      .ptr(0x14, "SystemArgument1", "").ptr(0x18, "SystemArgument2", "")
      .ptr(0x1c, "DpcData", "").build();

  public static final StructType KAPC = new TypeBuilder("_KAPC", 0x30)
      .uchar(0x0, "Type").uchar(0x2, "Size").ptr(0x8, "Thread", "_KTHREAD")
      .list(0xc, "ApcListEntry").ptr(0x14, "KernelRoutine", "").ptr(0x18, "RundownRoutine", "")
      .ptr(0x1c, "NormalRoutine", "").ptr(0x20, "NormalContext", "")
      .ptr(0x24, "SystemArgument1", "").ptr(0x28, "SystemArgument2", "")
      .schar(0x2c, "ApcStateIndex").schar(0x2d, "ApcMode").uchar(0x2e, "Inserted").build();

  public static final StructType KTHREAD = new TypeBuilder("_KTHREAD", 0x1e0)
      .struct(0x000, "Header", "_DISPATCHER_HEADER").u8(0x010, "CycleTime")
      .u4(0x018, "HighCycleTime").u8(0x020, "QuantumTarget").ptr(0x028, "InitialStack", "")
      .ptr(0x02c, "StackLimit", "").ptr(0x030, "KernelStack", "").u4(0x034, "ThreadLock")
      .struct(0x038, "ApcState", "_KAPC_STATE").chars(0x038, "ApcStateFill", 23)
      .schar(0x04f, "Priority").u2(0x050, "NextProcessor").u2(0x052, "DeferredProcessor")
      .u4(0x054, "ApcQueueLock").u4(0x058, "ContextSwitches").uchar(0x05c, "State")
      .uchar(0x05d, "NpxState").uchar(0x05e, "WaitIrql").schar(0x05f, "WaitMode")
      .i4(0x060, "WaitStatus").ptr(0x064, "WaitBlockList", "_KWAIT_BLOCK")
      .ptr(0x064, "GateObject", "_KGATE").bits(0x068, "KernelStackResident", 0, 1)
      .bits(0x068, "ReadyTransition", 1, 1).bits(0x068, "ProcessReadyQueue", 2, 1)
      .bits(0x068, "WaitNext", 3, 1).bits(0x068, "SystemAffinityActive", 4, 1)
      .bits(0x068, "Alertable", 5, 1).bits(0x068, "GdiFlushActive", 6, 1)
      .bits(0x068, "Reserved", 7, 25).i4(0x068, "MiscFlags").uchar(0x06c, "WaitReason")
      .uchar(0x06d, "SwapBusy").chars(0x06e, "Alerted", 2).list(0x070, "WaitListEntry")
      .ptr(0x078, "Queue", "_KQUEUE").u4(0x07c, "WaitTime").i2(0x080, "KernelApcDisable")
      .i2(0x082, "SpecialApcDisable").u4(0x080, "CombinedApcDisable").ptr(0x084, "Teb", "")
      .struct(0x088, "Timer", "_KTIMER").i4(0x0b0, "ThreadFlags")
      .array(0x0b8, "WaitBlock", 4, "_KWAIT_BLOCK").uchar(0x0cf, "IdealProcessor")
      .schar(0x0e7, "PreviousMode").uchar(0x0ff, "ResourceIndex").uchar(0x117, "LargeStack")
      .list(0x118, "QueueListEntry").ptr(0x120, "TrapFrame", "_KTRAP_FRAME")
      .ptr(0x124, "FirstArgument", "").ptr(0x128, "CallbackStack", "")
      .ptr(0x12c, "ServiceTable", "").uchar(0x130, "ApcStateIndex").schar(0x131, "BasePriority")
      .schar(0x132, "PriorityDecrement").uchar(0x133, "Preempted").uchar(0x134, "AdjustReason")
      .schar(0x135, "AdjustIncrement").uchar(0x136, "Spare01").schar(0x137, "Saturation")
      .u4(0x138, "SystemCallNumber").u4(0x13c, "Spare02").u4(0x140, "UserAffinity")
      .ptr(0x144, "Process", "_KPROCESS").u4(0x148, "Affinity")
      .array(0x14c, "ApcStatePointer", 2, "Ptr32 _KAPC_STATE")
      .struct(0x154, "SavedApcState", "_KAPC_STATE").schar(0x16b, "FreezeCount")
      .schar(0x16c, "SuspendCount").uchar(0x16d, "UserIdealProcessor").uchar(0x16f, "Iopl")
      .ptr(0x170, "Win32Thread", "").ptr(0x174, "StackBase", "")
      .struct(0x178, "SuspendApc", "_KAPC").schar(0x17b, "QuantumReset")
      .u4(0x17c, "KernelTime").ptr(0x19c, "WaitPrcb", "_KPRCB").uchar(0x1a7, "PowerState")
      .u4(0x1a8, "UserTime").struct(0x1ac, "SuspendSemaphore", "_KSEMAPHORE")
      .u4(0x1c0, "SListFaultCount").list(0x1c4, "ThreadListEntry").list(0x1cc, "MutantListHead")
      .ptr(0x1d4, "SListFaultAddress", "").ptr(0x1d8, "MdlForLockedTeb", "").build();

  public static final StructType ETHREAD = new TypeBuilder("_ETHREAD", 0x288)
      .struct(0x000, "Tcb", "_KTHREAD").struct(0x1e0, "CreateTime", "_LARGE_INTEGER")
      .struct(0x1e8, "ExitTime", "_LARGE_INTEGER").list(0x1e8, "KeyedWaitChain")
      .i4(0x1f0, "ExitStatus").list(0x1f4, "PostBlockList").ptr(0x1f8, "StartAddress", "")
      .ptr(0x1fc, "TerminationPort", "_TERMINATION_PORT").u4(0x200, "ActiveTimerListLock")
      .list(0x204, "ActiveTimerListHead").struct(0x20c, "Cid", "_CLIENT_ID")
      .struct(0x214, "KeyedWaitSemaphore", "_KSEMAPHORE").list(0x22c, "IrpList")
      .u4(0x234, "TopLevelIrp").ptr(0x240, "Win32StartAddress", "")
      .list(0x248, "ThreadListEntry").struct(0x250, "RundownProtect", "_EX_RUNDOWN_REF")
      .struct(0x254, "ThreadLock", "_EX_PUSH_LOCK").u4(0x258, "ReadClusterSize")
      .i4(0x25c, "MmLockOrdering").u4(0x260, "CrossThreadFlags")
      .u4(0x264, "SameThreadPassiveFlags").u4(0x268, "SameThreadApcFlags")
      .uchar(0x26e, "ActiveFaultCount").u4(0x280, "CacheManagerCount").build();

  public static final StructType KPROCESS = new TypeBuilder("_KPROCESS", 0x80)
      .struct(0x00, "Header", "_DISPATCHER_HEADER").list(0x10, "ProfileListHead")
      .u4(0x18, "DirectoryTableBase").u4(0x1c, "Unused0").u2(0x30, "IopmOffset")
      .uchar(0x32, "Iopl").u4(0x34, "ActiveProcessors").u4(0x38, "KernelTime")
      .u4(0x3c, "UserTime").list(0x40, "ReadyListHead").ptr(0x4c, "VdmTrapcHandler", "")
      .list(0x50, "ThreadListHead").u4(0x58, "ProcessLock").u4(0x5c, "Affinity")
      .i4(0x60, "ProcessFlags").schar(0x64, "BasePriority").schar(0x65, "QuantumReset")
      .uchar(0x66, "State").uchar(0x67, "ThreadSeed").uchar(0x68, "PowerState")
      .uchar(0x69, "IdealNode").uchar(0x6a, "Visited").uchar(0x6b, "ExecuteOptions")
      .u4(0x6c, "StackCount").list(0x70, "ProcessListEntry").u8(0x78, "CycleTime").build();

  public static final StructType EPROCESS = new TypeBuilder("_EPROCESS", 0x270)
      .struct(0x000, "Pcb", "_KPROCESS").struct(0x080, "ProcessLock", "_EX_PUSH_LOCK")
      .struct(0x088, "CreateTime", "_LARGE_INTEGER").struct(0x090, "ExitTime", "_LARGE_INTEGER")
      .struct(0x098, "RundownProtect", "_EX_RUNDOWN_REF").ptr(0x09c, "UniqueProcessId", "")
      .list(0x0a0, "ActiveProcessLinks").array(0x0a8, "QuotaUsage", 3, "Uint4B")
      .array(0x0b4, "QuotaPeak", 3, "Uint4B").u4(0x0c0, "CommitCharge")
      .u4(0x0c4, "PeakVirtualSize").u4(0x0c8, "VirtualSize").list(0x0cc, "SessionProcessLinks")
      .ptr(0x0d4, "DebugPort", "").ptr(0x0d8, "ExceptionPortData", "")
      .ptr(0x0dc, "ObjectTable", "_HANDLE_TABLE").struct(0x0e0, "Token", "_EX_FAST_REF")
      .u4(0x0e4, "WorkingSetPage").struct(0x0e8, "AddressCreationLock", "_EX_PUSH_LOCK")
      .ptr(0x0ec, "RotateInProgress", "_ETHREAD").ptr(0x0f0, "ForkInProgress", "_ETHREAD")
      .u4(0x0f4, "HardwareTrigger").ptr(0x0f8, "PhysicalVadRoot", "_MM_AVL_TABLE")
      .ptr(0x0fc, "CloneRoot", "").u4(0x100, "NumberOfPrivatePages")
      .u4(0x104, "NumberOfLockedPages").ptr(0x108, "Win32Process", "").ptr(0x10c, "Job", "_EJOB")
      .ptr(0x110, "SectionObject", "").ptr(0x114, "SectionBaseAddress", "")
      .ptr(0x118, "QuotaBlock", "_EPROCESS_QUOTA_BLOCK")
      .ptr(0x11c, "WorkingSetWatch", "_PAGEFAULT_HISTORY").ptr(0x120, "Win32WindowStation", "")
      .ptr(0x124, "InheritedFromUniqueProcessId", "").ptr(0x128, "LdtInformation", "")
      .ptr(0x12c, "VadFreeHint", "").ptr(0x130, "VdmObjects", "").ptr(0x134, "DeviceMap", "")
      .ptr(0x138, "EtwDataSource", "").ptr(0x13c, "FreeTebHint", "")
      .struct(0x140, "PageDirectoryPte", "_HARDWARE_PTE").u8(0x140, "Filler")
      .ptr(0x148, "Session", "").chars(0x14c, "ImageFileName", 16).list(0x15c, "JobLinks")
      .ptr(0x164, "LockedPagesList", "").list(0x168, "ThreadListHead")
      .ptr(0x170, "SecurityPort", "").ptr(0x174, "PaeTop", "").u4(0x178, "ActiveThreads")
      .u4(0x17c, "ImagePathHash").u4(0x180, "DefaultHardErrorProcessing")
      .i4(0x184, "LastThreadExitStatus").ptr(0x188, "Peb", "_PEB")
      .struct(0x18c, "PrefetchTrace", "_EX_FAST_REF")
      .struct(0x190, "ReadOperationCount", "_LARGE_INTEGER")
      .struct(0x198, "WriteOperationCount", "_LARGE_INTEGER")
      .struct(0x1a0, "OtherOperationCount", "_LARGE_INTEGER")
      .struct(0x1a8, "ReadTransferCount", "_LARGE_INTEGER")
      .struct(0x1b0, "WriteTransferCount", "_LARGE_INTEGER")
      .struct(0x1b8, "OtherTransferCount", "_LARGE_INTEGER").u4(0x1c0, "CommitChargeLimit")
      .u4(0x1c4, "CommitChargePeak").ptr(0x1c8, "AweInfo", "")
      .struct(0x1d0, "Vm", "_MMSUPPORT").list(0x218, "MmProcessLinks")
      .u4(0x220, "ModifiedPageCount").u4(0x224, "Flags2").u4(0x228, "Flags")
      .i4(0x22c, "ExitStatus").u2(0x230, "Spare7").uchar(0x232, "SubSystemMinorVersion")
      .uchar(0x233, "SubSystemMajorVersion").u2(0x232, "SubSystemVersion")
      .uchar(0x234, "PriorityClass").struct(0x238, "VadRoot", "_MM_AVL_TABLE")
      .u4(0x258, "Cookie").struct(0x25c, "AlpcContext", "_ALPC_PROCESS_CONTEXT").build();

  public static final StructType EX_PUSH_LOCK = new TypeBuilder("_EX_PUSH_LOCK", 0x4)
      .u4(0x0, "Value").ptr(0x0, "Ptr", "").build();

  public static final StructType EX_RUNDOWN_REF = new TypeBuilder("_EX_RUNDOWN_REF", 0x4)
      .u4(0x0, "Count").ptr(0x0, "Ptr", "").build();

  public static final StructType EX_FAST_REF = new TypeBuilder("_EX_FAST_REF", 0x4)
      .ptr(0x0, "Object", "").bits(0x0, "RefCnt", 0, 3).u4(0x0, "Value").build();

  public static final StructType MMSUPPORT = new TypeBuilder("_MMSUPPORT", 0x48)
      .list(0x00, "WorkingSetExpansionLinks").u2(0x08, "LastTrimStamp")
      .u2(0x0a, "NextPageColor").u4(0x10, "PageFaultCount").u4(0x14, "PeakWorkingSetSize")
      .u4(0x1c, "MinimumWorkingSetSize").u4(0x20, "MaximumWorkingSetSize")
      .ptr(0x24, "VmWorkingSetList", "_MMWSL").u4(0x28, "Claim")
      .u4(0x30, "WorkingSetPrivateSize").u4(0x34, "WorkingSetSizeOverhead")
      .u4(0x38, "WorkingSetSize").ptr(0x3c, "ExitEvent", "_KEVENT")
      .struct(0x40, "WorkingSetMutex", "_EX_PUSH_LOCK").ptr(0x44, "AccessLog", "").build();

  public static final StructType MM_AVL_TABLE = new TypeBuilder("_MM_AVL_TABLE", 0x20)
      .struct(0x00, "BalancedRoot", "_MMADDRESS_NODE").bits(0x14, "DepthOfTree", 0, 5)
      .bits(0x14, "Unused", 5, 3).bits(0x14, "NumberGenericTableElements", 8, 24)
      .ptr(0x18, "NodeHint", "").ptr(0x1c, "NodeFreeHint", "").build();

  public static final StructType MMADDRESS_NODE = new TypeBuilder("_MMADDRESS_NODE", 0x14)
      .ptr(0x0, "Parent", "_MMADDRESS_NODE").ptr(0x4, "LeftChild", "_MMADDRESS_NODE")
      .ptr(0x8, "RightChild", "_MMADDRESS_NODE").u4(0xc, "StartingVpn").u4(0x10, "EndingVpn")
      .build();

  public static final StructType MMVAD_SHORT = new TypeBuilder("_MMVAD_SHORT", 0x20)
      .ptr(0x00, "Parent", "_MMVAD").ptr(0x04, "LeftChild", "_MMVAD")
      .ptr(0x08, "RightChild", "_MMVAD").u4(0x0c, "StartingVpn").u4(0x10, "EndingVpn")
      .u4(0x14, "LongFlags").struct(0x18, "PushLock", "_EX_PUSH_LOCK").u4(0x1c, "LongFlags3")
      .build();

  public static final StructType OBJECT_HEADER = new TypeBuilder("_OBJECT_HEADER", 0x20)
      .i4(0x00, "PointerCount").i4(0x04, "HandleCount").ptr(0x04, "NextToFree", "")
      .ptr(0x08, "Type", "_OBJECT_TYPE").uchar(0x0c, "NameInfoOffset")
      .uchar(0x0d, "HandleInfoOffset").uchar(0x0e, "QuotaInfoOffset").uchar(0x0f, "Flags")
      .ptr(0x10, "ObjectCreateInfo", "_OBJECT_CREATE_INFORMATION")
      .ptr(0x10, "QuotaBlockCharged", "").ptr(0x14, "SecurityDescriptor", "")
      .struct(0x18, "Body", "_QUAD").build();

  public static final StructType OBJECT_HEADER_NAME_INFO =
      new TypeBuilder("_OBJECT_HEADER_NAME_INFO", 0x10)
          .ptr(0x0, "Directory", "_OBJECT_DIRECTORY").struct(0x4, "Name", "_UNICODE_STRING")
          .u4(0xc, "QueryReferences").build();

  public static final StructType UNICODE_STRING = new TypeBuilder("_UNICODE_STRING", 0x8)
      .u2(0x0, "Length").u2(0x2, "MaximumLength").ptr(0x4, "Buffer", "Uint2B").build();

  public static final StructType POOL_HEADER = new TypeBuilder("_POOL_HEADER", 0x8)
      .bits(0x0, "PreviousSize", 0, 9).bits(0x0, "PoolIndex", 9, 7).bits(0x2, "BlockSize", 0, 9)
      .bits(0x2, "PoolType", 9, 7).u4(0x0, "Ulong1").u4(0x4, "PoolTag")
      .u2(0x4, "AllocatorBackTraceIndex").u2(0x6, "PoolTagHash").build();

  public static final StructType HANDLE_TABLE = new TypeBuilder("_HANDLE_TABLE", 0x3c)
      .u4(0x00, "TableCode").ptr(0x04, "QuotaProcess", "_EPROCESS")
      .ptr(0x08, "UniqueProcessId", "").struct(0x0c, "HandleLock", "_EX_PUSH_LOCK")
      .list(0x10, "HandleTableList").struct(0x18, "HandleContentionEvent", "_EX_PUSH_LOCK")
      .ptr(0x1c, "DebugInfo", "_HANDLE_TRACE_DEBUG_INFO").i4(0x20, "ExtraInfoPages")
      .u4(0x24, "Flags").bits(0x24, "StrictFIFO", 0, 1).i4(0x28, "FirstFreeHandle")
      .ptr(0x2c, "LastFreeHandleEntry", "_HANDLE_TABLE_ENTRY").i4(0x30, "HandleCount")
      .u4(0x34, "NextHandleNeedingPool").u4(0x38, "HandleCountHighWatermark").build();

  public static final StructType HANDLE_TABLE_ENTRY = new TypeBuilder("_HANDLE_TABLE_ENTRY", 0x8)
      .ptr(0x0, "Object", "").u4(0x0, "ObAttributes").u4(0x0, "Value")
      .u4(0x4, "GrantedAccess").u2(0x4, "GrantedAccessIndex").u2(0x6, "CreatorBackTraceIndex")
      .i4(0x4, "NextFreeTableEntry").build();

  public static final StructType MMPFN = new TypeBuilder("_MMPFN", 0x18)
      .struct(0x00, "u1", "__unnamed_MMPFN_u1").struct(0x04, "u2", "__unnamed_MMPFN_u2")
      .ptr(0x08, "PteAddress", "_MMPTE").struct(0x0c, "u3", "__unnamed_MMPFN_u3")
      .struct(0x10, "OriginalPte", "_MMPTE").struct(0x14, "u4", "__unnamed_MMPFN_u4").build();

  static final StructType MMPFN_U1 = new TypeBuilder("__unnamed_MMPFN_u1", 0x4)
      .u4(0x0, "Flink").u4(0x0, "WsIndex").ptr(0x0, "Event", "_KEVENT").ptr(0x0, "Next", "")
      .build();

  static final StructType MMPFN_U2 = new TypeBuilder("__unnamed_MMPFN_u2", 0x4)
      .u4(0x0, "Blink").ptr(0x0, "ImageProtoPte", "_MMPTE").u4(0x0, "ShareCount").build();

  static final StructType MMPFN_U3 = new TypeBuilder("__unnamed_MMPFN_u3", 0x4)
      .u2(0x0, "ReferenceCount").struct(0x2, "e1", "_MMPFNENTRY").build();

  static final StructType MMPFN_U4 = new TypeBuilder("__unnamed_MMPFN_u4", 0x4)
      .bits(0x0, "PteFrame", 0, 20).bits(0x0, "Unused", 20, 5).bits(0x0, "PfnImageVerified", 25, 1)
      .bits(0x0, "AweAllocation", 26, 1).bits(0x0, "PrototypePte", 27, 1)
      .bits(0x0, "PageColor", 28, 4).build();

  public static final StructType MMPFNENTRY = new TypeBuilder("_MMPFNENTRY", 0x2)
      .bits(0x0, "PageLocation", 0, 3).bits(0x0, "WriteInProgress", 3, 1)
      .bits(0x0, "Modified", 4, 1).bits(0x0, "ReadInProgress", 5, 1)
      .bits(0x0, "CacheAttribute", 6, 2).bits(0x0, "Priority", 8, 3).bits(0x0, "Rom", 11, 1)
      .bits(0x0, "InPageError", 12, 1).bits(0x0, "KernelStack", 13, 1)
      .bits(0x0, "RemovalRequested", 14, 1).bits(0x0, "ParityError", 15, 1).build();

  public static final StructType MMPTE = new TypeBuilder("_MMPTE", 0x4)
      .struct(0x0, "u", "__unnamed_MMPTE_u").build();

  static final StructType MMPTE_U = new TypeBuilder("__unnamed_MMPTE_u", 0x4)
      .u4(0x0, "Long").u4(0x0, "VolatileLong").build();

  public static final StructType NT_TIB = new TypeBuilder("_NT_TIB", 0x1c)
      .ptr(0x00, "ExceptionList", "_EXCEPTION_REGISTRATION_RECORD").ptr(0x04, "StackBase", "")
      .ptr(0x08, "StackLimit", "").ptr(0x0c, "SubSystemTib", "").ptr(0x10, "FiberData", "")
      .u4(0x10, "Version").ptr(0x14, "ArbitraryUserPointer", "").ptr(0x18, "Self", "_NT_TIB")
      .build();

  public static final StructType KDPC_DATA = new TypeBuilder("_KDPC_DATA", 0x14)
      .list(0x0, "DpcListHead").u4(0x8, "DpcLock").i4(0xc, "DpcQueueDepth").u4(0x10, "DpcCount")
      .build();

  public static final StructType KPRCB = new TypeBuilder("_KPRCB", 0x1f98)
      .u2(0x0000, "MinorVersion").u2(0x0002, "MajorVersion")
      .ptr(0x0004, "CurrentThread", "_KTHREAD")
      .ptr(0x0008, "NextThread", "_KTHREAD").ptr(0x000c, "IdleThread", "_KTHREAD")
      .uchar(0x0010, "Number").uchar(0x0011, "NestingLevel").u2(0x0012, "BuildType")
      .u4(0x0014, "SetMember").schar(0x0018, "CpuType").schar(0x0019, "CpuID")
      .u2(0x001a, "CpuStep").struct(0x001c, "ProcessorState", "_KPROCESSOR_STATE")
      .ptr(0x0520, "NpxThread", "_KTHREAD").u4(0x0524, "InterruptCount")
      .u4(0x0528, "KernelTime").u4(0x052c, "UserTime").u4(0x0530, "DpcTime")
      .u4(0x0534, "DpcTimeCount").u4(0x0538, "InterruptTime").u4(0x053c, "AdjustDpcThreshold")
      .u4(0x0540, "PageColor").uchar(0x0545, "DebuggerSavedIRQL").u4(0x0610, "KeSystemCalls")
      .array(0x1960, "DpcData", 2, "_KDPC_DATA").ptr(0x1988, "DpcStack", "")
      .i4(0x198c, "MaximumDpcQueueDepth").u4(0x1990, "DpcRequestRate")
      .u4(0x1994, "MinimumDpcRate").uchar(0x1998, "DpcInterruptRequested")
      .uchar(0x1999, "DpcThreadRequested").uchar(0x199a, "DpcRoutineActive")
      .uchar(0x199b, "DpcThreadActive").u4(0x199c, "PrcbLock").u4(0x19a0, "DpcLastCount")
      .struct(0x19b0, "DpcEvent", "_KEVENT").uchar(0x19c1, "QuantumEnd")
      .uchar(0x19c3, "IdleSchedule").list(0x1a20, "WaitListHead").u4(0x1a28, "WaitLock")
      .u4(0x1a2c, "ReadySummary").u4(0x1a30, "QueueIndex").u8(0x1a38, "StartCycles")
      .u8(0x1a40, "CycleTime").array(0x1a60, "DispatcherReadyListHead", 32, "_LIST_ENTRY")
      .i4(0x1b68, "MmPageFaultCount").i4(0x1b6c, "MmCopyOnWriteCount")
      .i4(0x1b70, "MmTransitionCount").i4(0x1b78, "MmDemandZeroCount")
      .u4(0x1bbc, "MHz").build();

  public static final StructType KPCR = new TypeBuilder("_KPCR", 0x20b8)
      .struct(0x000, "NtTib", "_NT_TIB").ptr(0x000, "Used_ExceptionList",
          "_EXCEPTION_REGISTRATION_RECORD").ptr(0x004, "Used_StackBase", "")
      .ptr(0x008, "Spare2", "").ptr(0x00c, "TssCopy", "").u4(0x010, "ContextSwitches")
      .u4(0x014, "SetMemberCopy").ptr(0x018, "Used_Self", "").ptr(0x01c, "SelfPcr", "_KPCR")
      .ptr(0x020, "Prcb", "_KPRCB").uchar(0x024, "Irql").u4(0x028, "IRR").u4(0x02c, "IrrActive")
      .u4(0x030, "IDR").ptr(0x034, "KdVersionBlock", "").ptr(0x038, "IDT", "_KIDTENTRY")
      .ptr(0x03c, "GDT", "_KGDTENTRY").ptr(0x040, "TSS", "_KTSS").u2(0x044, "MajorVersion")
      .u2(0x046, "MinorVersion").u4(0x048, "SetMember").u4(0x04c, "StallScaleFactor")
      .uchar(0x050, "SpareUnused").uchar(0x051, "Number").uchar(0x052, "Spare0")
      .uchar(0x053, "SecondLevelCacheAssociativity").u4(0x054, "VdmAlert")
      .array(0x058, "KernelReserved", 14, "Uint4B").u4(0x090, "SecondLevelCacheSize")
      .array(0x094, "HalReserved", 16, "Uint4B").u4(0x0d4, "InterruptMode")
      .uchar(0x0d8, "Spare1").array(0x0dc, "KernelReserved2", 17, "Uint4B")
      .struct(0x120, "PrcbData", "_KPRCB").build();

  public static final StructType TEB = new TypeBuilder("_TEB", 0xff8)
      .struct(0x000, "NtTib", "_NT_TIB").ptr(0x01c, "EnvironmentPointer", "")
      .struct(0x020, "ClientId", "_CLIENT_ID").ptr(0x028, "ActiveRpcHandle", "")
      .ptr(0x02c, "ThreadLocalStoragePointer", "").ptr(0x030, "ProcessEnvironmentBlock", "_PEB")
      .u4(0x034, "LastErrorValue").u4(0x038, "CountOfOwnedCriticalSections")
      .ptr(0x03c, "CsrClientThread", "").ptr(0x040, "Win32ThreadInfo", "")
      .u4(0x0c4, "CurrentLocale").i4(0x1a4, "ExceptionCode").struct(0x6b4, "RealClientId",
          "_CLIENT_ID").u4(0xbf4, "LastStatusValue").ptr(0xe0c, "DeallocationStack", "")
      .array(0xe10, "TlsSlots", 64, "Ptr32 Void").list(0xf10, "TlsLinks")
      .u4(0xf28, "HardErrorMode").uchar(0xf77, "IdealProcessor")
      .u4(0xf78, "GuaranteedStackBytes").build();

  public static final StructType PEB = new TypeBuilder("_PEB", 0x238)
      .uchar(0x000, "InheritedAddressSpace").uchar(0x001, "ReadImageFileExecOptions")
      .uchar(0x002, "BeingDebugged").uchar(0x003, "BitField").ptr(0x004, "Mutant", "")
      .ptr(0x008, "ImageBaseAddress", "").ptr(0x00c, "Ldr", "_PEB_LDR_DATA")
      .ptr(0x010, "ProcessParameters", "_RTL_USER_PROCESS_PARAMETERS")
      .ptr(0x014, "SubSystemData", "").ptr(0x018, "ProcessHeap", "")
      .ptr(0x01c, "FastPebLock", "_RTL_CRITICAL_SECTION").u4(0x064, "NumberOfProcessors")
      .u4(0x068, "NtGlobalFlag").struct(0x070, "CriticalSectionTimeout", "_LARGE_INTEGER")
      .u4(0x088, "NumberOfHeaps").u4(0x08c, "MaximumNumberOfHeaps")
      .u4(0x0a4, "OSMajorVersion").u4(0x0a8, "OSMinorVersion").u2(0x0ac, "OSBuildNumber")
      .u2(0x0ae, "OSCSDVersion").u4(0x0b0, "OSPlatformId").u4(0x0b4, "ImageSubsystem")
      .u4(0x0b8, "ImageSubsystemMajorVersion").u4(0x0bc, "ImageSubsystemMinorVersion")
      .u4(0x1d4, "SessionId").build();

  private static final Map<String, StructType> BY_NAME = new TreeMap<>();

  static {
    for (StructType t : new StructType[] {LIST_ENTRY, CLIENT_ID, LARGE_INTEGER, ULARGE_INTEGER,
        DISPATCHER_HEADER, KAPC_STATE, KWAIT_BLOCK, KEVENT, KMUTANT, KSEMAPHORE, KTIMER, KQUEUE,
        KDPC, KAPC, KTHREAD, ETHREAD, KPROCESS, EPROCESS, EX_PUSH_LOCK, EX_RUNDOWN_REF,
        EX_FAST_REF, MMSUPPORT, MM_AVL_TABLE, MMADDRESS_NODE, MMVAD_SHORT, OBJECT_HEADER,
        OBJECT_HEADER_NAME_INFO, UNICODE_STRING, POOL_HEADER, HANDLE_TABLE, HANDLE_TABLE_ENTRY,
        MMPFN, MMPFN_U1, MMPFN_U2, MMPFN_U3, MMPFN_U4, MMPFNENTRY, MMPTE, MMPTE_U, NT_TIB,
        KDPC_DATA, KPRCB, KPCR, TEB, PEB}) {
      BY_NAME.put(t.name().toUpperCase(Locale.ROOT), t);
    }
  }

  private VistaX86Types() {}

  /** The type called {@code name} ({@code _KTHREAD}, any case, {@code nt!} or not), or null. */
  public static StructType find(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (n.startsWith("NT!")) {
      n = n.substring(3);
    }
    return BY_NAME.get(n);
  }

  /** Every type, by name; unnamed unions included. */
  public static Collection<StructType> all() {
    return BY_NAME.values();
  }

  /** The name {@code dt} prints for a member's type: unions of unnamed types print as such. */
  public static String displayName(String typeName) {
    return typeName.startsWith("__unnamed") ? "__unnamed" : typeName;
  }
}
