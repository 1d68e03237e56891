package org.ntsim.io;

import org.ntsim.ob.AccessMask;
import org.ntsim.ob.GenericMapping;
import org.ntsim.ob.ObjectType;
import org.ntsim.ob.ObjectTypeInitializer;

/**
 * The I/O manager's object types (IoDriverObjectType, IoDeviceObjectType, IoFileObjectType),
 * made through the object manager's API as IopCreateObjectTypes makes them, with the file
 * generic mapping (IopFileMapping) and FILE_ALL_ACCESS. They enter \ObjectTypes (and take their
 * pool blocks) when their first object is made, as ex.sync's types do.
 *
 * <p>Left out: the types' procedures (IopDeleteDriver, IopDeleteDevice, IopParseDevice,
 * IopCloseFile, IopDeleteFile), which come with the create path and file objects' life.
 */
public final class IoObjectTypes {
  public static final int FILE_READ_DATA = 0x0001;
  public static final int FILE_WRITE_DATA = 0x0002;
  public static final int FILE_APPEND_DATA = 0x0004;
  public static final int FILE_READ_EA = 0x0008;
  public static final int FILE_WRITE_EA = 0x0010;
  public static final int FILE_EXECUTE = 0x0020;
  public static final int FILE_READ_ATTRIBUTES = 0x0080;
  public static final int FILE_WRITE_ATTRIBUTES = 0x0100;
  /** STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF. */
  public static final int FILE_ALL_ACCESS = 0x001F01FF;
  public static final int FILE_GENERIC_READ = AccessMask.STANDARD_RIGHTS_READ | FILE_READ_DATA
      | FILE_READ_ATTRIBUTES | FILE_READ_EA | AccessMask.SYNCHRONIZE;
  public static final int FILE_GENERIC_WRITE = AccessMask.STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA
      | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | FILE_APPEND_DATA | AccessMask.SYNCHRONIZE;
  public static final int FILE_GENERIC_EXECUTE = AccessMask.STANDARD_RIGHTS_EXECUTE
      | FILE_READ_ATTRIBUTES | FILE_EXECUTE | AccessMask.SYNCHRONIZE;
  public static final GenericMapping FILE_MAPPING = new GenericMapping(FILE_GENERIC_READ,
      FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS);

  public final ObjectType driver = new ObjectType("Driver", initializer());
  public final ObjectType device = new ObjectType("Device", initializer());
  public final ObjectType file = new ObjectType("File", initializer().maintainHandleCount(true));

  private static ObjectTypeInitializer initializer() {
    return new ObjectTypeInitializer(FILE_MAPPING, FILE_ALL_ACCESS);
  }
}
