package org.ntsim.kd.layout;

/**
 * One member of a structure as the public symbols describe it and {@code dt} prints it: its
 * offset, its name, and its type in WinDbg's words ({@code Uint4B}, {@code Ptr32 _KTHREAD},
 * {@code _LIST_ENTRY}, {@code [16] UChar}, {@code Pos 5, 1 Bit}).
 *
 * <p>Invariants: {@code sizeBytes} is the member's whole size (an array's all elements); a bit
 * field names the unit it sits in ({@code sizeBytes} 4) and its position and width.
 */
public record Field(int offset, String name, Kind kind, String typeName, int count, int bitPosition,
    int bitWidth) {

  /** How a member's value is read and printed. */
  public enum Kind {
    UCHAR(1, "UChar"), CHAR(1, "Char"), UINT2(2, "Uint2B"), INT2(2, "Int2B"),
    UINT4(4, "Uint4B"), INT4(4, "Int4B"), UINT8(8, "Uint8B"), INT8(8, "Int8B"),
    POINTER(4, "Ptr32"), STRUCT(0, ""), CHAR_ARRAY(1, "UChar"), ARRAY(0, ""), BITS(4, "");

    final int unitBytes;
    final String windbgName;

    Kind(int unitBytes, String windbgName) {
      this.unitBytes = unitBytes;
      this.windbgName = windbgName;
    }
  }

  /** The type as {@code dt} prints it without an address. */
  public String typeText() {
    return switch (kind) {
      case POINTER -> "Ptr32 " + (typeName.isEmpty() ? "Void" : typeName);
      case STRUCT -> typeName;
      case CHAR_ARRAY -> "[" + count + "] UChar";
      case ARRAY -> "[" + count + "] " + typeName;
      case BITS -> "Pos " + bitPosition + ", " + bitWidth + " Bit" + (bitWidth == 1 ? "" : "s");
      default -> kind.windbgName;
    };
  }

  /** Whether {@code dt -r} opens this member: an embedded structure. */
  public boolean isStructure() {
    return kind == Kind.STRUCT;
  }
}
