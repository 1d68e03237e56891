package org.ntsim.kd.layout;

import java.util.List;

/**
 * A structure's layout on Vista x86: its name as the symbols spell it ({@code _KTHREAD}), its
 * size, and the members ntsim lays out, in offset order.
 *
 * <p>Invariants: members come in offset order (unions' members in the symbols' order) and lie
 * inside the structure. Members ntsim does not model are left out of the list; their bytes read
 * as zero in the image.
 */
public record StructType(String name, int sizeBytes, List<Field> fields) {

  /** The member called {@code fieldName}; IllegalArgumentException if there is none. */
  public Field field(String fieldName) {
    for (Field f : fields) {
      if (f.name().equals(fieldName)) {
        return f;
      }
    }
    throw new IllegalArgumentException(name + " has no member " + fieldName);
  }

  /** The offset of member {@code fieldName}. */
  public int offset(String fieldName) {
    return field(fieldName).offset();
  }
}
