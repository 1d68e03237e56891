package org.ntsim.kd.layout;

import java.util.ArrayList;
import java.util.List;
import org.ntsim.kd.layout.Field.Kind;

/** Builds one {@link StructType}, member by member, in the order the symbols list them. */
final class TypeBuilder {
  private final String name;
  private final int sizeBytes;
  private final List<Field> fields = new ArrayList<>();

  TypeBuilder(String name, int sizeBytes) {
    this.name = name;
    this.sizeBytes = sizeBytes;
  }

  private TypeBuilder add(int offset, String field, Kind kind, String type, int count) {
    fields.add(new Field(offset, field, kind, type, count, 0, 0));
    return this;
  }

  TypeBuilder uchar(int offset, String field) {
    return add(offset, field, Kind.UCHAR, "", 1);
  }

  TypeBuilder schar(int offset, String field) {
    return add(offset, field, Kind.CHAR, "", 1);
  }

  TypeBuilder u2(int offset, String field) {
    return add(offset, field, Kind.UINT2, "", 1);
  }

  TypeBuilder i2(int offset, String field) {
    return add(offset, field, Kind.INT2, "", 1);
  }

  TypeBuilder u4(int offset, String field) {
    return add(offset, field, Kind.UINT4, "", 1);
  }

  TypeBuilder i4(int offset, String field) {
    return add(offset, field, Kind.INT4, "", 1);
  }

  TypeBuilder u8(int offset, String field) {
    return add(offset, field, Kind.UINT8, "", 1);
  }

  TypeBuilder i8(int offset, String field) {
    return add(offset, field, Kind.INT8, "", 1);
  }

  /** A pointer to {@code target} ("" for Void). */
  TypeBuilder ptr(int offset, String field, String target) {
    return add(offset, field, Kind.POINTER, target, 1);
  }

  TypeBuilder struct(int offset, String field, String type) {
    return add(offset, field, Kind.STRUCT, type, 1);
  }

  TypeBuilder list(int offset, String field) {
    return struct(offset, field, "_LIST_ENTRY");
  }

  TypeBuilder chars(int offset, String field, int count) {
    return add(offset, field, Kind.CHAR_ARRAY, "", count);
  }

  /** An array of {@code count} elements, {@code element} as dt prints it ("Uint4B"). */
  TypeBuilder array(int offset, String field, int count, String element) {
    return add(offset, field, Kind.ARRAY, element, count);
  }

  TypeBuilder bits(int offset, String field, int position, int width) {
    fields.add(new Field(offset, field, Kind.BITS, "", 1, position, width));
    return this;
  }

  StructType build() {
    return new StructType(name, sizeBytes, List.copyOf(fields));
  }
}
