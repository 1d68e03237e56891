package org.ntsim.ob;

/**
 * OBJECT_ATTRIBUTES: how a native call names an object and what the new handle's attributes
 * are. {@code ObjectName} is an absolute path ({@code \BaseNamedObjects\Foo}) when
 * {@code RootDirectory} is 0, else a path relative to the directory (or symbolic link) that
 * handle refers to; null for no name. The field names are NT's.
 *
 * <p>Left out: SecurityDescriptor and SecurityQualityOfService (ntsim has no security
 * descriptors yet), and Length (always right here).
 */
public record ObjectAttributes(long RootDirectory, String ObjectName, int Attributes) {
  /** The handle is inherited by child processes (stored; inheritance is not modelled yet). */
  public static final int OBJ_INHERIT = 0x00000002;
  /** The name stays after the last handle closes; needs SeCreatePermanentPrivilege. */
  public static final int OBJ_PERMANENT = 0x00000010;
  public static final int OBJ_EXCLUSIVE = 0x00000020;
  /** Compare names case-insensitively (Win32's Create and Open functions do not pass it). */
  public static final int OBJ_CASE_INSENSITIVE = 0x00000040;
  /** Creating under an existing name of the same type opens that object instead. */
  public static final int OBJ_OPENIF = 0x00000080;
  public static final int OBJ_OPENLINK = 0x00000100;
  public static final int OBJ_KERNEL_HANDLE = 0x00000200;
  public static final int OBJ_FORCE_ACCESS_CHECK = 0x00000400;
  public static final int OBJ_VALID_ATTRIBUTES = 0x000007F2;

  /** InitializeObjectAttributes(name, 0, NULL, NULL): an absolute name, no attributes. */
  public static ObjectAttributes named(String objectName) {
    return new ObjectAttributes(0, objectName, 0);
  }

  /** InitializeObjectAttributes(name, attributes, NULL, NULL). */
  public static ObjectAttributes named(String objectName, int attributes) {
    return new ObjectAttributes(0, objectName, attributes);
  }

  /** InitializeObjectAttributes(NULL, attributes, NULL, NULL): no name. */
  public static ObjectAttributes unnamed(int attributes) {
    return new ObjectAttributes(0, null, attributes);
  }

  public boolean has(int attribute) {
    return (Attributes & attribute) != 0;
  }
}
