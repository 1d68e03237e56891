package org.ntsim.io;

import org.ntsim.ke.KEvent;
import org.ntsim.ob.ObjectBody;

/**
 * FILE_OBJECT: an open instance of a file, directory, volume or device, with its fields at their
 * Vista x86 offsets (the {@code OFFSET_*} constants): seed 001's {@code !process} output shows a
 * thread waiting on FileObject+0x5C, the Event. The fields are declared now and filled by the
 * create path, the file systems, the cache manager and completion ports, which come later:
 * SectionObjectPointer, PrivateCacheMap and CompletionContext stay null until then.
 *
 * <p>Left out: IrpListLock, IrpList and FileObjectExtension (Vista's tail, 0x70 to 0x80).
 */
public final class FileObject extends ObjectBody {
  /** sizeof(FILE_OBJECT) on Vista x86. */
  public static final int SIZE = 0x80;
  public static final int OFFSET_DEVICE_OBJECT = 0x04;
  public static final int OFFSET_VPB = 0x08;
  public static final int OFFSET_FS_CONTEXT = 0x0C;
  public static final int OFFSET_FS_CONTEXT2 = 0x10;
  public static final int OFFSET_SECTION_OBJECT_POINTER = 0x14;
  public static final int OFFSET_PRIVATE_CACHE_MAP = 0x18;
  public static final int OFFSET_FINAL_STATUS = 0x1C;
  public static final int OFFSET_RELATED_FILE_OBJECT = 0x20;
  public static final int OFFSET_LOCK_OPERATION = 0x24;
  public static final int OFFSET_DELETE_PENDING = 0x25;
  public static final int OFFSET_READ_ACCESS = 0x26;
  public static final int OFFSET_WRITE_ACCESS = 0x27;
  public static final int OFFSET_DELETE_ACCESS = 0x28;
  public static final int OFFSET_SHARED_READ = 0x29;
  public static final int OFFSET_SHARED_WRITE = 0x2A;
  public static final int OFFSET_SHARED_DELETE = 0x2B;
  public static final int OFFSET_FLAGS = 0x2C;
  public static final int OFFSET_FILE_NAME = 0x30;
  public static final int OFFSET_CURRENT_BYTE_OFFSET = 0x38;
  public static final int OFFSET_WAITERS = 0x40;
  public static final int OFFSET_BUSY = 0x44;
  public static final int OFFSET_LAST_LOCK = 0x48;
  public static final int OFFSET_LOCK = 0x4C;
  public static final int OFFSET_EVENT = 0x5C;
  public static final int OFFSET_COMPLETION_CONTEXT = 0x6C;

  public DeviceObject deviceObject;
  public Object vpb;
  public Object fsContext;
  public Object fsContext2;
  public Object sectionObjectPointer;
  public Object privateCacheMap;
  public int finalStatus;
  public FileObject relatedFileObject;
  public boolean lockOperation;
  public boolean deletePending;
  public boolean readAccess;
  public boolean writeAccess;
  public boolean deleteAccess;
  public boolean sharedRead;
  public boolean sharedWrite;
  public boolean sharedDelete;
  public int flags;
  public String fileName;
  public long currentByteOffset;
  public int waiters;
  public int busy;
  public Object lastLock;
  /** The file object lock of synchronous I/O (a synchronization event). */
  public final KEvent lock;
  /** The event a synchronous request's issuer waits on (a notification event). */
  public final KEvent event;
  public Object completionContext;
  /** The body's address in the pool. */
  public final long address;

  FileObject(long address) {
    this.address = address;
    this.lock = new KEvent(false, false, address + OFFSET_LOCK);
    this.event = new KEvent(true, false, address + OFFSET_EVENT);
  }
}
